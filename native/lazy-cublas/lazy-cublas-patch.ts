import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectFolder, type SourcePatch } from '../source-patch';

const HEADER = 'lazy-cublas.h';
const here = projectFolder(
  path.dirname(fileURLToPath(import.meta.url)),
  path.join('native', 'lazy-cublas'),
  HEADER,
);
const VENDORS = path.join('llama.cpp', 'ggml', 'src', 'ggml-cuda', 'vendors');

/** The header compiled into ggml-cuda, for tests that compile it against a stand-in cuBLAS. */
export const LAZY_CUBLAS_HEADER = path.join(here, HEADER);

/**
 * ggml-cuda opens cuBLAS on its first call instead of when it loads (README.md beside this file):
 * the header beside `vendors/cuda.h`, included at its end, and ggml-cuda linked `--as-needed`.
 * Applied with `applySourcePatch` (native/source-patch.ts).
 */
export const LAZY_CUBLAS: SourcePatch = {
  patch: path.join(here, 'ggml-cuda-lazy-cublas.patch'),
  files: [{ from: LAZY_CUBLAS_HEADER, to: path.join(VENDORS, HEADER) }],
};
