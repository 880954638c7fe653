import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { buildLlamaServer } from '../../../../../native/build-llama-server';

/** A llama-server on 127.0.0.1 for tests, with the address to give the remote engine. */
export interface LlamaServerProcess {
  url: string;
  port: number;
  process: ChildProcess;
  /** The server's own output, for a failure's message. */
  log(): string;
  stop(): Promise<void>;
}

export interface LlamaServerArgs {
  model: string;
  /** Loaded in this order, so their ids are 0, 1, … */
  loras?: string[];
  apiKey?: string;
  contextSize?: number;
  /** Extra command-line arguments. */
  extra?: string[];
}

/** A port nobody listens on right now (the OS picks it; loopback only). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitUntilHealthy(
  server: LlamaServerProcess,
  exited: Promise<number | null>,
): Promise<void> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  for (let attempt = 0; attempt < 1200; attempt++) {
    if (gone) throw new Error(`llama-server exited while starting:\n${server.log().slice(-2000)}`);
    try {
      const response = await fetch(`${server.url}/health`);
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`llama-server did not become healthy:\n${server.log().slice(-2000)}`);
}

/** Starts the cached llama-server build (building it when missing) and waits until it serves. */
export async function startLlamaServer(args: LlamaServerArgs): Promise<LlamaServerProcess> {
  const { binary } = buildLlamaServer();
  const port = await freePort();
  const argv = [
    '--model',
    args.model,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--ctx-size',
    String(args.contextSize ?? 1024),
    '--parallel',
    '1',
    '--threads',
    '1',
    // Ponder parses the reasoning tags itself, from the reply text, as the local engine does.
    '--reasoning-format',
    'none',
    '--no-webui',
    ...(args.loras ?? []).flatMap((lora) => ['--lora', lora]),
    // Adapters apply only when a request names them, as each mode does.
    ...(args.loras?.length ? ['--lora-init-without-apply'] : []),
    ...(args.apiKey ? ['--api-key', args.apiKey] : []),
    ...(args.extra ?? []),
  ];
  const child = spawn(binary, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const server: LlamaServerProcess = {
    url: `http://127.0.0.1:${port}`,
    port,
    process: child,
    log: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
  try {
    await waitUntilHealthy(server, exited);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}
