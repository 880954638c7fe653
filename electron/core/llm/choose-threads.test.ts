import { describe, expect, it } from 'vitest';
import { chooseThreads } from './choose-threads';

const cpuOnly = { gpuLayers: 0, totalLayers: 28, modelBytes: 4.4 * 1024 ** 3 };

describe('chooseThreads', () => {
  it('uses one thread for a tiny model, where more threads only wait on each other', () => {
    const choice = chooseThreads({
      ...cpuOnly,
      physicalCores: 2,
      logicalCores: 2,
      modelBytes: 1_185_376,
    });
    expect(choice.threads).toBe(1);
    expect(choice.reason).toMatch(/too small/);
  });

  it('uses every physical core of a small machine for a real model', () => {
    expect(chooseThreads({ ...cpuOnly, physicalCores: 2, logicalCores: 2 }).threads).toBe(2);
  });

  it('never counts hyper-threads and leaves one core free on larger machines', () => {
    const choice = chooseThreads({ ...cpuOnly, physicalCores: 8, logicalCores: 16 });
    expect(choice.threads).toBe(7);
    expect(choice.reason).toMatch(/left for the app/);
  });

  it('caps the count where memory bandwidth limits decoding', () => {
    expect(chooseThreads({ ...cpuOnly, physicalCores: 64, logicalCores: 128 }).threads).toBe(16);
  });

  it('needs only a few threads when every layer is on the GPU', () => {
    const choice = chooseThreads({
      ...cpuOnly,
      gpuLayers: 29,
      physicalCores: 16,
      logicalCores: 32,
    });
    expect(choice.threads).toBe(4);
    expect(choice.reason).toMatch(/GPU/);
  });

  it('keeps what the user asked for, and says when it exceeds the machine', () => {
    expect(chooseThreads({ ...cpuOnly, requested: 3, physicalCores: 2, logicalCores: 2 })).toEqual({
      threads: 3,
      reason: '3 as configured (more than the 2 this machine has: expect it to be slow).',
    });
  });
});
