import { PonderError } from '../../errors';
import type { SearchProviderName, SearchSettings } from '../search-settings';
import type { SearchProvider, SearchResult } from '../search-types';
import { DuckDuckGoProvider } from './duckduckgo-provider';
import { LocalDocsProvider } from './local-docs-provider';
import { SearxngProvider } from './searxng-provider';
import type { Agent } from 'node:http';

export interface ProviderDeps {
  /** HTTP agent for DuckDuckGo requests (tests replay recorded answers through it). */
  duckduckgoAgent?: Agent;
  /** Waits between DuckDuckGo retries. */
  duckduckgoBackoffMs?: number[];
  /** Ready-made providers by name, used instead of building them from the settings. */
  providers?: Partial<Record<SearchProviderName, SearchProvider>>;
}

/** Builds the provider for a name, or undefined when the settings lack what it needs. */
export function createProvider(
  name: SearchProviderName,
  settings: SearchSettings,
  deps: ProviderDeps = {},
): SearchProvider | undefined {
  const given = deps.providers?.[name];
  if (given) return given;
  switch (name) {
    case 'duckduckgo':
      return new DuckDuckGoProvider({
        safeSearch: settings.safeSearch,
        region: settings.region,
        timeoutMs: settings.timeouts.searchMs,
        ...(deps.duckduckgoAgent ? { agent: deps.duckduckgoAgent } : {}),
        ...(deps.duckduckgoBackoffMs ? { backoffMs: deps.duckduckgoBackoffMs } : {}),
      });
    case 'searxng':
      return settings.searxngUrl
        ? new SearxngProvider({ baseUrl: settings.searxngUrl, safeSearch: settings.safeSearch })
        : undefined;
    case 'local':
      return settings.docsDir
        ? new LocalDocsProvider(settings.docsDir, settings.dataDir)
        : undefined;
  }
}

export interface ChainAnswer {
  results: SearchResult[];
  provider: string;
}

function withTimeout<T>(
  work: (signal: AbortSignal) => Promise<T>,
  ms: number,
  name: string,
  outer?: AbortSignal,
): Promise<T> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(outer?.reason);
  outer?.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new PonderError(
          'search-offline',
          `The ${name} search did not answer within ${ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`}.`,
          {
            hint: 'Check the connection or try another provider.',
          },
        ),
      );
      // Rejected first, so the race reports the time-out rather than the abort it causes.
      controller.abort();
    }, ms);
  });
  const cancelled = new Promise<never>((_, reject) => {
    controller.signal.addEventListener(
      'abort',
      () => reject(new PonderError('cancelled', 'Cancelled.')),
      { once: true },
    );
  });
  return Promise.race([work(controller.signal), timeout, cancelled]).finally(() => {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onAbort);
  });
}

/**
 * The configured provider, then each fallback in order, until one answers. A provider that is
 * offline, blocked or failing passes the query on; if none answers the first failure is reported.
 */
export class ProviderChain {
  private readonly providers: SearchProvider[];

  constructor(
    private readonly settings: SearchSettings,
    deps: ProviderDeps = {},
  ) {
    const names = [...new Set([settings.provider, ...settings.fallback])];
    this.providers = names
      .map((name) => createProvider(name, settings, deps))
      .filter((p): p is SearchProvider => p !== undefined);
  }

  get primary(): string {
    return this.providers[0]?.name ?? this.settings.provider;
  }

  async search(query: string, count: number, signal?: AbortSignal): Promise<ChainAnswer> {
    const failures: PonderError[] = [];
    for (const provider of this.providers) {
      try {
        const results = await withTimeout(
          (inner) => provider.search(query, { count, signal: inner }),
          this.settings.timeouts.searchMs,
          provider.name,
          signal,
        );
        return { results, provider: provider.name };
      } catch (error) {
        if (signal?.aborted) throw new PonderError('cancelled', 'Cancelled.');
        const failure =
          error instanceof PonderError
            ? error
            : new PonderError('search-failed', `${provider.name} search failed: ${String(error)}`);
        if (failure.code === 'cancelled' || failure.code === 'invalid-input') throw failure;
        failures.push(failure);
      }
    }
    const first = failures[0];
    if (!first) throw new PonderError('search-failed', 'No search provider is configured.');
    if (failures.length === 1) throw first;
    const tried = this.providers.map((p) => p.name).join(', ');
    throw new PonderError(
      first.code,
      `${first.message} (also tried: ${tried})`,
      first.hint ? { hint: first.hint } : undefined,
    );
  }

  async dispose(): Promise<void> {
    for (const provider of this.providers) await provider.dispose?.();
  }
}
