import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureFixtures, fixturePaths } from '../../models/fixtures';

const BIN = fileURLToPath(new URL('../../bin/ponder.js', import.meta.url));

/** The bearer token the SDK tests' server accepts. */
export const SDK_TEST_TOKEN = 'sdk-test-token-0123456789abcdef';

export interface ServedPonder {
  /** `http://127.0.0.1:PORT/v1`, the base URL OpenAI-compatible clients take. */
  baseURL: string;
  token: string;
  /** Everything the server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * A real `ponder serve` (the CLI, from the sources, with its model process) on a free port, with
 * the fixture model and both adapters, answering as a person's server would.
 */
export async function startPonderServe(extraArgs: string[] = []): Promise<ServedPonder> {
  await ensureFixtures();
  const dir = mkdtempSync(join(tmpdir(), 'ponder-sdk-'));
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [
      BIN,
      'serve',
      ...['--port', '0', '--token', SDK_TEST_TOKEN, '--data-dir', join(dir, 'data')],
      ...['--ui', join(dir, 'no-ui')],
      ...['--model', fixturePaths.base, '--sft', fixturePaths.sft, '--grpo', fixturePaths.grpo],
      ...['--threads', '1', '--gpu-layers', '0'],
      ...extraArgs,
    ],
    // From the sources, so the tests check this tree rather than an older build.
    { env: { PATH: process.env.PATH ?? '', HOME: dir, PONDER_FROM_SOURCE: '1' } },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address printed:\n${output}`)), 150_000);
    const check = (): void => {
      const match = /Ponder is serving at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`ponder serve exited with ${code}:\n${output}`));
    });
  });

  return {
    baseURL: `${url}/v1`,
    token: SDK_TEST_TOKEN,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
