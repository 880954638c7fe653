import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePaths } from '../../models/fixtures';
import { ROOT } from './paths';

export interface PonderServe {
  /** `http://127.0.0.1:PORT` */
  url: string;
  token: string;
  /** The address `ponder serve` prints: the UI with `#token=…`. */
  uiUrl: string;
  dataDir: string;
  output(): string;
  stop(): Promise<void>;
}

export interface ServeOptions {
  /** Load the generated test model and its two adapters. @default true */
  withModel?: boolean;
  /** Load this model instead of the generated test model (with no adapters). */
  modelPath?: string;
  /** A SearXNG-compatible server for Search mode. */
  searxngUrl?: string;
  /** Use this data folder (kept); otherwise a fresh temporary one (removed on stop). */
  dataDir?: string;
  /** More `ponder serve` options, e.g. `--recover`. */
  extraArgs?: string[];
}

const TOKEN = 'e2e-token-0123456789abcdef';

/** Starts the real `ponder serve` (bin/ponder.js) on a free port and waits until it listens. */
export async function startPonderServe(options: ServeOptions = {}): Promise<PonderServe> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ponder-e2e-'));
  const args = ['bin/ponder.js', 'serve', '--port', '0', '--token', TOKEN, '--data-dir', dataDir];
  args.push('--threads', '1');
  // A web UI built elsewhere (`electron-vite build --outDir DIR` writes DIR/renderer).
  if (process.env.PONDER_E2E_UI) args.push('--ui', process.env.PONDER_E2E_UI);
  if (options.modelPath) {
    args.push('--model', options.modelPath);
  } else if (options.withModel ?? true) {
    args.push('--model', fixturePaths.base, '--sft', fixturePaths.sft, '--grpo', fixturePaths.grpo);
  }
  if (options.searxngUrl) {
    const host = new URL(options.searxngUrl).host;
    args.push('--search-provider', 'searxng', '--searxng-url', options.searxngUrl);
    args.push('--allow-private-host', host);
    // No embedding model in the test data folder: ranking falls back to keywords on every machine.
    args.push('--embedding-model', join(dataDir, 'no-embedding-model'));
  }
  if (options.extraArgs) args.push(...options.extraArgs);
  const env: NodeJS.ProcessEnv = { ...process.env, PONDER_DATA_DIR: dataDir };
  delete env.PONDER_MODEL;
  delete env.PONDER_SFT;
  delete env.PONDER_GRPO;
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`ponder serve did not start:\n${output}`)),
      120_000,
    );
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
    url,
    token: TOKEN,
    uiUrl: `${url}/#token=${TOKEN}`,
    dataDir,
    output: () => output,
    stop: async () => {
      await stopChild(child);
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
