import { afterEach, describe, expect, it } from 'vitest';
import { readLocalCudaBuild } from '../../../native';
import { loadLlama, startLlamaEarly } from './load-llama';
import type { LoadedLlama } from './load-llama';

const loaded: LoadedLlama[] = [];

afterEach(async () => {
  await Promise.all(loaded.splice(0).map((runtime) => runtime.llama.dispose()));
});

describe('llama.cpp started before the model is chosen', () => {
  it('still gives a CPU-only load a CPU runtime', async () => {
    startLlamaEarly('auto');
    const runtime = await loadLlama(false);
    loaded.push(runtime);
    expect(runtime.llama.gpu).toBe(false);
    // The binary a CPU-only load always gets: Ponder's CPU build (with the native decode loop)
    // when this machine has one, which the automatic choice never loads.
    expect(runtime.backend).toBe(
      readLocalCudaBuild('cpu') ? 'CPU (local build)' : 'CPU (prebuilt)',
    );
  });

  it('keeps the options a load asks for', async () => {
    startLlamaEarly('auto');
    const runtime = await loadLlama(false, { maxThreads: 1 });
    loaded.push(runtime);
    expect(runtime.llama.gpu).toBe(false);
    expect(runtime.llama.maxThreads).toBe(1);
  });

  it('serves one load only: the next load starts its own', async () => {
    startLlamaEarly(false);
    const first = await loadLlama(false);
    loaded.push(first);
    const second = await loadLlama(false);
    loaded.push(second);
    expect(second.llama).not.toBe(first.llama);
  });
});
