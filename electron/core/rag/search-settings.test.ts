import { describe, expect, it } from 'vitest';
import type { PonderError } from '../errors';
import { resolveSearchSettings } from './search-settings';

const failure = (input: Parameters<typeof resolveSearchSettings>[0]) => {
  try {
    resolveSearchSettings(input);
  } catch (error) {
    return error as PonderError;
  }
  throw new Error('accepted');
};

describe('resolveSearchSettings', () => {
  it('defaults to DuckDuckGo, 20 results, top 5 and no private hosts', () => {
    const settings = resolveSearchSettings({ dataDir: '/tmp/p' });
    expect(settings).toMatchObject({
      provider: 'duckduckgo',
      resultCount: 20,
      topK: 5,
      allowPrivateHosts: [],
      safeSearch: 'moderate',
    });
  });

  it('explains settings a person has to fix', () => {
    expect(failure({ dataDir: '/x', provider: 'bing' as never }).message).toMatch(
      /Unknown search provider "bing"/,
    );
    expect(failure({ dataDir: '/x', topK: 0 }).code).toBe('invalid-input');
    expect(failure({ dataDir: '/x', provider: 'searxng' }).hint).toMatch(/--searxng-url/);
    expect(failure({ dataDir: '/x', provider: 'local' }).hint).toMatch(/--docs/);
  });
});
