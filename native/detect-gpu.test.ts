import { describe, expect, it } from 'vitest';
import { needsLocalCudaBuild, parseNvidiaSmi } from './detect-gpu';

describe('parseNvidiaSmi', () => {
  it('reads the CUDA architecture a build needs from nvidia-smi', () => {
    const [gpu, ...rest] = parseNvidiaSmi('NVIDIA H100 80GB HBM3, 9.0, 580.159.04, 81559\n');
    expect(rest).toEqual([]);
    expect(gpu).toMatchObject({ name: 'NVIDIA H100 80GB HBM3', cudaArch: '90', memoryMiB: 81559 });
    expect(needsLocalCudaBuild(gpu!)).toBe(true);
  });

  it('keeps GPUs the prebuilt binary has machine code for on the prebuilt binary', () => {
    const [gpu] = parseNvidiaSmi('NVIDIA GeForce RTX 4090, 8.9, 580.1, 24564');
    expect(needsLocalCudaBuild(gpu!)).toBe(false);
  });

  it('ignores lines that are not GPUs (no driver, errors)', () => {
    expect(
      parseNvidiaSmi('NVIDIA-SMI has failed because it could not communicate with the driver.'),
    ).toEqual([]);
  });
});
