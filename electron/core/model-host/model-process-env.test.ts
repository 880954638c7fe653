import { describe, expect, it } from 'vitest';
import { modelProcessEnv } from './model-process-env';

describe('the model process environment', () => {
  it('adds the malloc settings to what the parent has', () => {
    const env = modelProcessEnv({ PATH: '/usr/bin', PONDER_DATA_DIR: '/data' });
    expect(env).toMatchObject({
      PATH: '/usr/bin',
      PONDER_DATA_DIR: '/data',
      MALLOC_MMAP_THRESHOLD_: '131072',
      MALLOC_ARENA_MAX: '2',
      MALLOC_TRIM_THRESHOLD_: '131072',
    });
  });

  it('keeps a setting a person made themselves', () => {
    expect(modelProcessEnv({ MALLOC_ARENA_MAX: '8' }).MALLOC_ARENA_MAX).toBe('8');
  });
});
