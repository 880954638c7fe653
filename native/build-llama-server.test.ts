import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildLlamaServer,
  LLAMA_SERVER_CMAKE_OPTIONS,
  nodeLlamaCppSource,
  readCachedLlamaServer,
  sourceHash,
} from './build-llama-server';
import { runNeedsLlamaServer } from './native-builds-global-setup';

describe('llama-server build cache', () => {
  it('keys the cache by the bundle and patches node-llama-cpp ships', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ponder-lls-'));
    const bundle = path.join(dir, 'gitRelease.bundle');
    const patch = path.join(dir, 'fix.diff');
    writeFileSync(bundle, 'bundle v1');
    writeFileSync(patch, 'patch v1');
    const first = sourceHash({ bundle, patches: [patch] });
    writeFileSync(patch, 'patch v2');
    const second = sourceHash({ bundle, patches: [patch] });
    writeFileSync(bundle, 'bundle v2');
    const third = sourceHash({ bundle, patches: [patch] });
    expect(new Set([first, second, third]).size).toBe(3);
    expect(first).toMatch(/^[0-9a-f]{16}$/);
  });

  it('treats a cache folder without its record or binary as missing', () => {
    const cacheRoot = mkdtempSync(path.join(os.tmpdir(), 'ponder-lls-cache-'));
    const source = nodeLlamaCppSource();
    expect(readCachedLlamaServer(source, cacheRoot)).toBeNull();
    const folder = path.join(cacheRoot, sourceHash(source));
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      path.join(folder, 'build.json'),
      JSON.stringify({ binary: path.join(folder, 'bin', 'llama-server') }),
    );
    expect(readCachedLlamaServer(source, cacheRoot)).toBeNull();
  });

  it('refuses a missing source bundle with one line', () => {
    const cacheRoot = mkdtempSync(path.join(os.tmpdir(), 'ponder-lls-cache-'));
    expect(() =>
      buildLlamaServer({
        cacheRoot,
        source: { bundle: '/nonexistent/gitRelease.bundle', patches: [] },
      }),
    ).toThrow('llama.cpp source bundle not found: /nonexistent/gitRelease.bundle');
  });

  it('has a cached CPU build of this source that runs (the test set-up builds it)', () => {
    const build = readCachedLlamaServer();
    expect(build).not.toBeNull();
    if (!build) return;
    expect(build.cmakeOptions).toEqual(LLAMA_SERVER_CMAKE_OPTIONS);
    expect(build.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(build.patches).toEqual(nodeLlamaCppSource().patches.map((p) => path.basename(p)));
    const record = JSON.parse(
      readFileSync(path.join(path.dirname(path.dirname(build.binary)), 'build.json'), 'utf8'),
    ) as { sourceHash: string };
    expect(record.sourceHash).toBe(sourceHash(nodeLlamaCppSource()));
    // llama-server prints its version and build, then exits 0.
    const run = spawnSync(build.binary, ['--version'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(`${run.stdout}${run.stderr}`).toMatch(/version: \d+/);
  });
});

describe('which test runs build llama-server first', () => {
  const vitest = ['node', '/repo/node_modules/.bin/vitest', 'run'];
  it('builds for a full run and for runs that name remote-engine or build tests', () => {
    expect(runNeedsLlamaServer(vitest)).toBe(true);
    expect(runNeedsLlamaServer([...vitest, '--reporter', 'dot'])).toBe(true);
    expect(
      runNeedsLlamaServer([
        ...vitest,
        'electron/core/llm/remote/remote-engine-modes.model.test.ts',
      ]),
    ).toBe(true);
    expect(runNeedsLlamaServer([...vitest, './native/build-llama-server.test.ts'])).toBe(true);
    expect(runNeedsLlamaServer([...vitest, 'electron/core/llm/remote'])).toBe(true);
  });

  it('does not hold up a run of unrelated files', () => {
    expect(runNeedsLlamaServer([...vitest, 'electron/core/agent/agent.test.ts'])).toBe(false);
    expect(runNeedsLlamaServer([...vitest, 'electron/core/llm/remote/read-sse-data.test.ts'])).toBe(
      false,
    );
    expect(runNeedsLlamaServer([...vitest, 'electron/core/rag/', '--reporter', 'dot'])).toBe(false);
  });
});
