import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  applySourcePatch,
  hasSourcePatch,
  projectFolder,
  removeSourcePatch,
  type SourcePatch,
} from '../source-patch';

const HEADER = 'lazy-cublas.h';
const here = projectFolder(
  path.dirname(fileURLToPath(import.meta.url)),
  path.join('native', 'lazy-cublas'),
  HEADER,
);
const VENDORS = path.join('llama.cpp', 'ggml', 'src', 'ggml-cuda', 'vendors');

/** The header beside ggml-cuda's vendors/cuda.h, included at its end; ggml-cuda linked --as-needed. */
export const LAZY_CUBLAS: SourcePatch = {
  patch: path.join(here, 'ggml-cuda-lazy-cublas.patch'),
  files: [{ from: path.join(here, HEADER), to: path.join(VENDORS, HEADER) }],
};

/** The header's own text, for tests that compile it. */
export const LAZY_CUBLAS_HEADER = path.join(here, HEADER);

export function removeLazyCublas(llamaDir: string): void {
  removeSourcePatch(llamaDir, LAZY_CUBLAS);
}

/**
 * Makes ggml-cuda open cuBLAS on its first call instead of when it loads (native/lazy-cublas).
 * Returns the undo; throws, naming the patch, when it no longer fits a new node-llama-cpp.
 */
export function applyLazyCublas(llamaDir: string): () => void {
  return applySourcePatch(llamaDir, LAZY_CUBLAS);
}

export function hasLazyCublas(llamaDir: string): boolean {
  return hasSourcePatch(llamaDir, LAZY_CUBLAS);
}
