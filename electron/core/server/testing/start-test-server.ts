import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPonderCore } from '../../app';
import type { PonderCore } from '../../app';
import type { ConfigFlags } from '../../config';
import { createServer } from '../create-server';
import type { PonderServer, ServerOptions } from '../create-server';

export interface TestServer {
  server: PonderServer;
  core: PonderCore;
  port: number;
  token: string;
  dataDir: string;
  /** fetch against the server with the bearer token and JSON content type already set. */
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

/**
 * A real PonderCore (SQLite in a temporary folder, the model given in `flags`, if any) behind a real
 * server on 127.0.0.1 and a free port.
 */
export async function startTestServer(
  options: {
    flags?: ConfigFlags;
    env?: NodeJS.ProcessEnv;
    server?: Partial<Omit<ServerOptions, 'core'>>;
  } = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ponder-server-'));
  const core = await createPonderCore({
    flags: { dataDir, threads: 1, gpuLayers: 0, ...options.flags },
    env: options.env ?? {},
  });
  const server = await createServer({
    core,
    port: 0,
    token: 'test-token-0123456789abcdef',
    staticDir: null,
    ...options.server,
  });
  return {
    server,
    core,
    port: server.port,
    token: server.token,
    dataDir,
    api(path, init = {}) {
      const { json, headers, ...rest } = init;
      return fetch(`${server.url}${path}`, {
        ...rest,
        headers: {
          Authorization: `Bearer ${server.token}`,
          ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...(headers as Record<string, string> | undefined),
        },
        ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      });
    },
    async close() {
      await server.close(500);
      await core.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
