import type { BuildOptions } from 'esbuild';

/**
 * What every bundle of the ponder command shares: ES modules for Node 20, split into an entry per
 * name and content-named chunks beside them, and nothing written until the caller writes it (so a
 * running command never reads half a build).
 */
export const ESM_BUNDLE_OPTIONS = {
  entryNames: '[name]',
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
  write: false,
} as const satisfies BuildOptions;
