import { Agent as HttpsAgent } from 'node:https';
import type { Agent } from 'node:http';
import type { Duplex } from 'node:stream';
import { SafeSearchType, search as ddgSearch } from 'duck-duck-scrape';
// The browser-like headers the library sends when it is given no options; it does not re-export them.
import { COMMON_HEADERS } from 'duck-duck-scrape/lib/util';
import { PonderError } from '../../errors';
import type { ProviderSearchOptions, SearchProvider, SearchResult } from '../search-types';
import { plainText } from './plain-text';

export interface DuckDuckGoProviderOptions {
  safeSearch?: 'strict' | 'moderate' | 'off';
  /** Region code such as `wt-wt` (none) or `us-en`. */
  region?: string;
  /** Waits before each retry after a rate-limit or anomaly answer (default 1 s, 3 s). */
  backoffMs?: number[];
  /** The HTTP agent requests go through; tests route it to a local replay server. */
  agent?: Agent;
  timeoutMs?: number;
}

const SAFE = {
  strict: SafeSearchType.STRICT,
  moderate: SafeSearchType.MODERATE,
  off: SafeSearchType.OFF,
} as const;
const NETWORK_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new PonderError('cancelled', 'Cancelled.'));
      },
      { once: true },
    );
  });
}

/**
 * DuckDuckGo through duck-duck-scrape. Its anomaly and rate-limit answers are retried with backoff
 * and then reported as `search-blocked`; network failures as `search-offline`.
 */
export class DuckDuckGoProvider implements SearchProvider {
  readonly name = 'duckduckgo';
  private readonly agent: Agent;
  private readonly ownsAgent: boolean;
  /** The last socket error: duck-duck-scrape hides it behind "Failed to get the VQD". */
  private lastNetworkError: string | undefined;

  constructor(private readonly options: DuckDuckGoProviderOptions = {}) {
    this.ownsAgent = !options.agent;
    this.agent = options.agent ?? new HttpsAgent({ keepAlive: true, maxSockets: 4 });
    const create = this.agent.createConnection.bind(this.agent) as (...args: unknown[]) => Duplex;
    (this.agent as unknown as { createConnection: unknown }).createConnection = (
      ...args: unknown[]
    ) => {
      const socket = create(...args);
      socket.on('error', (error: NodeJS.ErrnoException) => {
        this.lastNetworkError = error.code ?? error.message;
      });
      return socket;
    };
  }

  private async once(query: string, signal?: AbortSignal): Promise<SearchResult[]> {
    const timeout = this.options.timeoutMs ?? 10_000;
    this.lastNetworkError = undefined;
    const answer = await ddgSearch(
      query,
      {
        safeSearch: SAFE[this.options.safeSearch ?? 'moderate'],
        region: this.options.region ?? 'wt-wt',
      },
      {
        headers: COMMON_HEADERS,
        agent: this.agent,
        open_timeout: timeout,
        response_timeout: timeout,
        read_timeout: timeout,
      } as never,
    );
    signal?.throwIfAborted();
    return answer.results.map((r, i) => ({
      title: plainText(r.title),
      url: r.url,
      snippet: plainText(r.rawDescription),
      rank: i + 1,
      provider: this.name,
    }));
  }

  private classify(error: unknown): PonderError {
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if ((code && NETWORK_CODES.has(code)) || (this.lastNetworkError && /VQD/.test(message))) {
      return new PonderError(
        'search-offline',
        'DuckDuckGo cannot be reached: this computer seems to be offline.',
        {
          hint: 'Check the connection, or search local documents with --search-provider local.',
          cause: error,
        },
      );
    }
    if (/anomaly|too quickly|VQD|429|418/i.test(message)) {
      return new PonderError(
        'search-blocked',
        'DuckDuckGo is refusing searches from this address for now.',
        {
          hint: 'Wait a few minutes, or use --search-provider searxng with your own instance.',
          cause: error,
        },
      );
    }
    return new PonderError(
      'search-failed',
      `DuckDuckGo search failed: ${message.split('\n', 1)[0]}`,
      { cause: error },
    );
  }

  async search(query: string, { count, signal }: ProviderSearchOptions): Promise<SearchResult[]> {
    const backoff = this.options.backoffMs ?? [1000, 3000];
    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      try {
        return (await this.once(query, signal)).slice(0, count);
      } catch (error) {
        signal?.throwIfAborted();
        const failure = this.classify(error);
        const wait = backoff[attempt];
        if (failure.code !== 'search-blocked' || wait === undefined) throw failure;
        await sleep(wait, signal);
      }
    }
  }

  dispose(): void {
    if (this.ownsAgent) this.agent.destroy();
  }
}
