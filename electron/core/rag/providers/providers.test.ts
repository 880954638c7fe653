import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PonderError } from '../../errors';
import { startDdgReplay } from '../testing/ddg-replay';
import { startLocalHttpServer } from '../testing/local-http-server';
import { startSearxngServer, type SearxngTestServer } from '../testing/searxng-server';
import { resolveSearchSettings } from '../search-settings';
import { DuckDuckGoProvider } from './duckduckgo-provider';
import { ProviderChain } from './provider-chain';
import { SearxngProvider } from './searxng-provider';

let searx: SearxngTestServer;

beforeAll(async () => {
  searx = await startSearxngServer(
    Array.from({ length: 25 }, (_, i) => ({
      title: `Tide fact ${i}`,
      snippet: `Tides and the moon, fact number ${i}.`,
    })),
  );
});
afterAll(() => searx.close());

const failure = (error: unknown) => error as PonderError;

describe('DuckDuckGo provider (answers replayed at the HTTP layer)', () => {
  it('returns 20 results with titles, URLs, plain-text snippets and ranks', async () => {
    const replay = await startDdgReplay('results');
    const provider = new DuckDuckGoProvider({
      agent: replay.agent,
      safeSearch: 'strict',
      region: 'uk-en',
    });
    try {
      const results = await provider.search('how do tides work', { count: 20 });
      expect(results).toHaveLength(20);
      expect(results[0]).toMatchObject({
        title: 'Tide - Wikipedia',
        url: 'https://en.wikipedia.org/wiki/Tide',
        rank: 1,
        provider: 'duckduckgo',
      });
      expect(results[0]?.snippet).toContain('gravitational forces exerted by the Moon');
      expect(results[1]?.snippet).toContain("The Moon's gravitational pull");
      const resultsRequest = replay.server.requests.find((r) =>
        r.includes('links.duckduckgo.com /d.js'),
      );
      expect(resultsRequest).toContain('kl=uk-en');
      expect(resultsRequest).toContain('p=1');
    } finally {
      await replay.close();
    }
  });

  it.each(['anomaly', 'rate-limited'] as const)(
    'retries with backoff, then reports search-blocked (%s)',
    async (scenario) => {
      const replay = await startDdgReplay(scenario);
      const provider = new DuckDuckGoProvider({ agent: replay.agent, backoffMs: [20, 40] });
      try {
        const error = failure(
          await provider.search('how do tides work', { count: 20 }).catch((e: unknown) => e),
        );
        expect(error.code).toBe('search-blocked');
        expect(error.hint).toMatch(/searxng/);
        const frontPageVisits = replay.server.requests.filter((r) =>
          r.startsWith('GET duckduckgo.com /'),
        ).length;
        expect(frontPageVisits).toBe(3);
      } finally {
        await replay.close();
      }
    },
  );

  it('reports search-offline when nothing answers the connection', async () => {
    const replay = await startDdgReplay('results');
    await replay.server.close();
    const provider = new DuckDuckGoProvider({ agent: replay.agent, backoffMs: [20] });
    const error = failure(await provider.search('tides', { count: 20 }).catch((e: unknown) => e));
    expect(error.code).toBe('search-offline');
    await replay.close();
  });
});

describe('SearXNG provider', () => {
  it('pages through the JSON API until it has the count', async () => {
    const provider = new SearxngProvider({ baseUrl: searx.origin });
    const results = await provider.search('tides moon', { count: 20 });
    expect(results).toHaveLength(20);
    expect(results.map((r) => r.rank)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(results[0]).toMatchObject({
      title: 'Tide fact 0',
      url: searx.pageUrl(0),
      provider: 'searxng',
    });
    expect(
      searx.requests.filter((r) => r.includes('/search?')).some((r) => r.includes('pageno=2')),
    ).toBe(true);
  });

  it.each([
    ['forbidden', 'search-blocked', /json/],
    ['rate-limited', 'search-blocked', /Wait/],
    ['not-json', 'search-failed', /base URL/],
  ] as const)('explains a server that answers %s', async (mode, code, hint) => {
    searx.setMode(mode);
    try {
      const error = failure(
        await new SearxngProvider({ baseUrl: searx.origin })
          .search('tides', { count: 5 })
          .catch((e: unknown) => e),
      );
      expect(error.code).toBe(code);
      expect(error.hint ?? '').toMatch(hint);
    } finally {
      searx.setMode('ok');
    }
  });

  it('reports search-offline for a server that is down', async () => {
    const down = await startLocalHttpServer(() => undefined);
    await down.close();
    const error = failure(
      await new SearxngProvider({ baseUrl: down.origin })
        .search('tides', { count: 5 })
        .catch((e: unknown) => e),
    );
    expect(error.code).toBe('search-offline');
    expect(error.message).toContain(down.origin);
  });
});

describe('provider fallback', () => {
  it('falls back to SearXNG when DuckDuckGo is blocked', async () => {
    const replay = await startDdgReplay('anomaly');
    const settings = resolveSearchSettings({
      dataDir: '/tmp',
      provider: 'duckduckgo',
      fallback: ['searxng'],
      searxngUrl: searx.origin,
    });
    const chain = new ProviderChain(settings, {
      duckduckgoAgent: replay.agent,
      duckduckgoBackoffMs: [],
    });
    try {
      const answer = await chain.search('tides', 5);
      expect(answer.provider).toBe('searxng');
      expect(answer.results).toHaveLength(5);
    } finally {
      await chain.dispose();
      await replay.close();
    }
  });

  it('gives up on DuckDuckGo when it accepts the connection but never answers', async () => {
    const replay = await startDdgReplay('hang');
    const settings = resolveSearchSettings({
      dataDir: '/tmp',
      provider: 'duckduckgo',
      timeouts: { searchMs: 300 },
    });
    const chain = new ProviderChain(settings, { duckduckgoAgent: replay.agent });
    try {
      const error = failure(await chain.search('tides', 5).catch((e: unknown) => e));
      expect(error.code).toBe('search-offline');
      expect(error.message).toMatch(/duckduckgo search did not answer within 300 ms/);
    } finally {
      await chain.dispose();
      await replay.close();
    }
  });

  it('gives up on a provider that never answers instead of hanging', async () => {
    searx.setMode('hang');
    const settings = resolveSearchSettings({
      dataDir: '/tmp',
      provider: 'searxng',
      searxngUrl: searx.origin,
      timeouts: { searchMs: 300 },
    });
    const chain = new ProviderChain(settings);
    try {
      const error = failure(await chain.search('tides', 5).catch((e: unknown) => e));
      expect(error.code).toBe('search-offline');
      expect(error.message).toMatch(/did not answer/);
    } finally {
      searx.setMode('ok');
      await chain.dispose();
    }
  });

  it('stops at once when the question is cancelled', async () => {
    searx.setMode('hang');
    const settings = resolveSearchSettings({
      dataDir: '/tmp',
      provider: 'searxng',
      searxngUrl: searx.origin,
    });
    const chain = new ProviderChain(settings);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    try {
      const error = failure(
        await chain.search('tides', 5, controller.signal).catch((e: unknown) => e),
      );
      expect(error.code).toBe('cancelled');
    } finally {
      searx.setMode('ok');
      await chain.dispose();
    }
  });
});
