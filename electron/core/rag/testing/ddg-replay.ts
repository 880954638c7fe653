import { Agent } from 'node:http';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { send, startLocalHttpServer, type LocalHttpServer } from './local-http-server';

const FIXTURES = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'duckduckgo');

/** How the replayed DuckDuckGo behaves. */
export type DdgScenario =
  /** The VQD page, then a results page: the normal case. */
  | 'results'
  /** The results script carries DuckDuckGo's anomaly (bot) block. */
  | 'anomaly'
  /** DuckDuckGo's rate limit: the front page answers 418 without a VQD token. */
  | 'rate-limited'
  /** The connection hangs: nothing is ever answered. */
  | 'hang';

export interface DdgReplay {
  /** Give this to the DuckDuckGo provider: it sends every https request to the replay server. */
  agent: Agent;
  server: LocalHttpServer;
  close(): Promise<void>;
}

export function ddgFixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/**
 * Replays recorded DuckDuckGo answers at the HTTP layer. duck-duck-scrape asks for
 * https://duckduckgo.com/?q=… (to get a VQD token) and https://links.duckduckgo.com/d.js?… (the
 * results); the agent below opens a plain TCP connection to a local server instead of a TLS one,
 * so the library, needle and Node's HTTP client all run unchanged and the server sees the real
 * requests, Host header included.
 */
export async function startDdgReplay(scenario: DdgScenario): Promise<DdgReplay> {
  const server = await startLocalHttpServer((request, response, url) => {
    const host = (request.headers.host ?? '').toLowerCase();
    if (scenario === 'hang') return;
    if (host === 'duckduckgo.com' && url.pathname === '/') {
      if (scenario === 'rate-limited')
        return send(response, 418, ddgFixture('rate-limited.html.fixture'));
      return send(response, 200, ddgFixture('vqd-page.html.fixture'));
    }
    if (host === 'links.duckduckgo.com' && url.pathname === '/d.js') {
      const body =
        scenario === 'anomaly'
          ? ddgFixture('anomaly-d.js.fixture')
          : ddgFixture('results-d.js.fixture');
      return send(response, 200, body, 'application/javascript; charset=UTF-8');
    }
    send(response, 404, 'not found');
  });
  const port = server.port;
  const sockets = new Set<Socket>();
  class ReplayAgent extends Agent {
    override createConnection(): Socket {
      const socket = connect(port, '127.0.0.1');
      sockets.add(socket);
      return socket;
    }
  }
  const agent = new ReplayAgent({ keepAlive: false });
  // Node's client refuses an agent whose protocol differs from the URL's.
  (agent as unknown as { protocol: string }).protocol = 'https:';
  return {
    agent,
    server,
    async close() {
      for (const socket of sockets) socket.destroy();
      agent.destroy();
      await server.close();
    },
  };
}
