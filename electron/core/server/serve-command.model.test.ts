import { readLocalCudaBuild } from '../../../native';
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtures, fixturePaths } from '../../../models/fixtures';
import { runCli } from '../cli/main';
import { CONTENT_SECURITY_POLICY } from './security-headers';

const BIN = fileURLToPath(new URL('../../../bin/ponder.js', import.meta.url));

let dir: string;
beforeAll(async () => {
  await ensureFixtures();
  dir = mkdtempSync(join(tmpdir(), 'ponder-serve-'));
  mkdirSync(join(dir, 'ui'));
  writeFileSync(join(dir, 'ui', 'index.html'), '<!doctype html><title>Ponder</title>');
});
const children = new Set<ChildProcessWithoutNullStreams>();
afterAll(() => {
  // A test that timed out never reached its own clean-up; no server may outlive the file.
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function ponder(args: string[]): { child: ChildProcessWithoutNullStreams; output: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: dir },
  });
  children.add(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

const exited = (child: ChildProcessWithoutNullStreams): Promise<number | null> =>
  new Promise((resolve) => child.once('exit', (code) => resolve(code)));

/** Waits for the printed address, then checks the page and one answer; returns the origin. */
async function checkServing(
  child: ChildProcessWithoutNullStreams,
  output: () => string,
): Promise<string> {
  const uiUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address printed:\n${output()}`)), 150_000);
    child.stdout.on('data', () => {
      const match = /Open the web UI:\s+(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(output());
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  const url = new URL(uiUrl);
  const token = url.hash.slice('#token='.length);
  expect(token).toMatch(/^[\w-]{43}$/);

  const page = await fetch(`${url.origin}/`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  expect((await fetch(`${url.origin}/api/health`)).status).toBe(401);
  const answer = await fetch(`${url.origin}/generate`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ query: 'What is two plus two?', mode: 'chat' }),
  });
  expect(await answer.json()).toMatchObject({ response: 'Four.', mode: 'chat' });
  // Once it has answered, the model is loaded: health says ready, with each mode's adapter.
  const health = await fetch(`${url.origin}/api/health`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(await health.json()).toMatchObject({
    status: 'ready',
    model: {
      path: fixturePaths.base,
      threads: 1,
      threadReason: expect.any(String),
      // The automatic GPU choice loads the CUDA build when one is recorded, else a prebuilt binary.
      decodeLoop: readLocalCudaBuild()?.decodeLoop ? 'native' : 'javascript',
    },
    modes: [
      { mode: 'chat', adapter: 'sft', adapterStatus: 'ready' },
      { mode: 'reasoning', adapter: 'grpo', adapterStatus: 'ready' },
      { mode: 'search', adapter: 'grpo', adapterStatus: 'ready' },
    ],
  });
  return url.origin;
}

describe('ponder serve', () => {
  it('prints the UI address with its token, answers, and stops cleanly on Ctrl+C', async () => {
    const { child, output } = ponder([
      'serve',
      ...['--port', '0', '--data-dir', join(dir, 'data'), '--ui', join(dir, 'ui')],
      ...['--model', fixturePaths.base, '--sft', fixturePaths.sft, '--grpo', fixturePaths.grpo],
      ...['--threads', '1', '--gpu-layers', '0'],
    ]);
    const exit = exited(child);
    try {
      const origin = await checkServing(child, output);
      child.kill('SIGINT');
      expect(await exit).toBe(0);
      expect(output()).toContain('Stopping');
      await expect(fetch(`${origin}/`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 240_000);

  it.each([
    [fixturePaths.broken.notGguf, 'is not a GGUF file'],
    [fixturePaths.broken.truncatedHeader, 'broken-truncated-header.gguf'],
    ['/nonexistent/ponder/missing.gguf', 'missing.gguf'],
  ])('refuses --model %s at once with one line, before it listens', async (model, message) => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let output = '';
    stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await runCli(
      ['serve', '--port', '0', '--model', model, '--data-dir', join(dir, 'bad-model')],
      { stdout, stderr, env: {}, signal: new AbortController().signal },
    );
    expect(code).toBe(1);
    expect(output).toContain(message);
    expect(output).not.toContain('Ponder is serving');
    expect(output.trim().split('\n')).toHaveLength(1);
  });

  it.each([
    [['serve', '--port', 'eighty'], '--port must be a number'],
    [['serve', '--port', '99999'], '--port must be a number'],
    [['serve', '--threads', 'two'], '--threads must be a whole number'],
    [['serve', '--bogus'], 'Unknown option "--bogus".'],
    [['serve', '--token', 'short', '--port', '0'], '--token must be at least 16 characters'],
  ])('refuses %j with one clear line and the usage-error status', async (args, message) => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let output = '';
    stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await runCli([...args, '--data-dir', join(dir, 'bad')], {
      stdout,
      stderr,
      env: {},
      signal: new AbortController().signal,
    });
    expect(code).toBe(2);
    expect(output).toContain(message);
    expect(output.trim().split('\n')).toHaveLength(1);
  });
});
