import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeLlamaCppDir } from '../build-cuda';
import { applySourcePatch, hasSourcePatch, removeSourcePatch } from '../source-patch';
import { folderSnapshot } from '../testing/folder-snapshot';
import { LAZY_CUBLAS, LAZY_CUBLAS_HEADER } from './lazy-cublas-patch';

const CUDA_DIR = path.join('llama.cpp', 'ggml', 'src', 'ggml-cuda');
const testing = path.join(path.dirname(LAZY_CUBLAS_HEADER), 'testing');
let scratch: string;

/** ggml-cuda's sources exactly as node-llama-cpp ships them: from its git bundle. */
function shippedGgmlCuda(into: string): string {
  const llamaDir = path.join(into, 'llama');
  const clone = path.join(into, 'clone');
  const bundle = path.join(nodeLlamaCppDir(), 'llama', 'gitRelease.bundle');
  execFileSync('git', ['clone', '--quiet', '--no-checkout', bundle, clone]);
  mkdirSync(path.join(llamaDir, 'llama.cpp'), { recursive: true });
  const archive = execFileSync('git', ['-C', clone, 'archive', 'HEAD', 'ggml/src/ggml-cuda'], {
    maxBuffer: 256 * 2 ** 20,
  });
  execFileSync('tar', ['-x', '-C', path.join(llamaDir, 'llama.cpp')], { input: archive });
  return llamaDir;
}

/** The cuBLAS functions a C++ source calls, comments left out. */
function cublasCalls(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  return [...code.matchAll(/\b(cublas[A-Z]\w*)\s*\(/g)].map((match) => match[1] ?? '');
}

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'ponder-lazy-cublas-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the lazy cuBLAS patch on the llama.cpp node-llama-cpp ships', () => {
  it('fits ggml-cuda, is undone byte for byte, and applying twice is the same as once', () => {
    const llamaDir = shippedGgmlCuda(path.join(scratch, 'fit'));
    const pristine = folderSnapshot(path.join(llamaDir, CUDA_DIR));
    applySourcePatch(llamaDir, LAZY_CUBLAS);
    expect(hasSourcePatch(llamaDir, LAZY_CUBLAS)).toBe(true);
    const vendors = readFileSync(path.join(llamaDir, CUDA_DIR, 'vendors', 'cuda.h'), 'utf8');
    expect(vendors.trimEnd().endsWith('#include "lazy-cublas.h"')).toBe(true);
    const cmake = readFileSync(path.join(llamaDir, CUDA_DIR, 'CMakeLists.txt'), 'utf8');
    expect(cmake).toContain('target_link_options(ggml-cuda PRIVATE "LINKER:--as-needed")');
    const once = folderSnapshot(path.join(llamaDir, CUDA_DIR));
    const undo = applySourcePatch(llamaDir, LAZY_CUBLAS);
    expect(folderSnapshot(path.join(llamaDir, CUDA_DIR))).toEqual(once);
    undo();
    expect(folderSnapshot(path.join(llamaDir, CUDA_DIR))).toEqual(pristine);
    removeSourcePatch(llamaDir, LAZY_CUBLAS);
    expect(folderSnapshot(path.join(llamaDir, CUDA_DIR))).toEqual(pristine);
  });

  it('redirects every cuBLAS function ggml-cuda calls', () => {
    const llamaDir = shippedGgmlCuda(path.join(scratch, 'calls'));
    const cudaDir = path.join(llamaDir, CUDA_DIR);
    const called = new Set(
      readdirSync(cudaDir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile() && /\.(cu|cuh|h|cpp)$/.test(entry.name))
        .flatMap((entry) =>
          cublasCalls(readFileSync(path.join(entry.parentPath, entry.name), 'utf8')),
        ),
    );
    const header = readFileSync(LAZY_CUBLAS_HEADER, 'utf8');
    const redirected = new Set(
      [...header.matchAll(/#define (cublas\w+) PONDER_LAZY_CUBLAS(?:_AS)?\(\1[,)]/g)].map((m) =>
        (m[1] ?? '').replace(/_v2$/, ''),
      ),
    );
    expect(called.size).toBeGreaterThan(5);
    expect([...called].filter((name) => !redirected.has(name))).toEqual([]);
  });

  it('names the patch when it does not fit', () => {
    const llamaDir = shippedGgmlCuda(path.join(scratch, 'misfit'));
    rmSync(path.join(llamaDir, CUDA_DIR, 'vendors', 'cuda.h'));
    expect(() => applySourcePatch(llamaDir, LAZY_CUBLAS)).toThrow(
      /ggml-cuda-lazy-cublas\.patch does not apply/,
    );
  });
});

describe('lazy-cublas.h, compiled here against a stand-in cuBLAS', () => {
  /** Builds the consumer with or without the header, linked --as-needed as the patch links ggml-cuda. */
  function build(lazy: boolean): { needed: string; run: Record<string, unknown> } {
    const dir = path.join(scratch, lazy ? 'lazy' : 'direct');
    const libDir = path.join(dir, 'lib');
    mkdirSync(libDir, { recursive: true });
    const library = path.join(libDir, 'libcublas.so.99');
    execFileSync('gcc', [
      '-shared',
      '-fPIC',
      '-Wl,-soname,libcublas.so.99',
      `-I${testing}`,
      '-o',
      library,
      path.join(testing, 'stand-in-cublas.c'),
    ]);
    symlinkSync('libcublas.so.99', path.join(libDir, 'libcublas.so'));
    const consumer = path.join(dir, 'libconsumer.so');
    execFileSync('g++', [
      '-std=c++17',
      '-shared',
      '-fPIC',
      `-I${testing}`,
      `-I${path.dirname(LAZY_CUBLAS_HEADER)}`,
      ...(lazy
        ? ['-DPONDER_LAZY', `-DPONDER_CUBLAS_PATH="${path.join(libDir, 'libcublas.so')}"`]
        : []),
      '-o',
      consumer,
      path.join(testing, 'consumer.cpp'),
      '-Wl,--as-needed',
      `-L${libDir}`,
      '-lcublas',
      '-ldl',
      // The direct build finds the library where it was linked, as an installed CUDA is found.
      ...(lazy ? [] : [`-Wl,-rpath,${libDir}`]),
    ]);
    const loader = path.join(dir, 'load-consumer');
    execFileSync('gcc', ['-o', loader, path.join(testing, 'load-consumer.c'), '-ldl']);
    const needed = execFileSync('readelf', ['-d', consumer], { encoding: 'utf8' });
    // No LD_LIBRARY_PATH: the versioned name is not found, so the header's recorded path is used.
    const env = { ...process.env, LD_LIBRARY_PATH: '' };
    const run = JSON.parse(execFileSync(loader, [consumer], { encoding: 'utf8', env })) as Record<
      string,
      unknown
    >;
    return { needed, run };
  }

  it('leaves cuBLAS out of the process until its first call, and the call still answers', () => {
    const { needed, run } = build(true);
    expect(needed).not.toContain('libcublas');
    expect(run).toEqual({ loadedWithConsumer: false, result: 42, loadedAfterCall: true });
  });

  it('without the header, the same link loads cuBLAS with the library (what the patch changes)', () => {
    const { needed, run } = build(false);
    expect(needed).toContain('libcublas.so.99');
    expect(run).toEqual({ loadedWithConsumer: true, result: 42, loadedAfterCall: true });
  });
});
