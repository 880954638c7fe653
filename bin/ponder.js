#!/usr/bin/env node
// Runs the compiled command in dist/cli (built by `npm run build:cli`, which `npm ci` runs through
// `prepare`). Without that build, or with PONDER_FROM_SOURCE=1, it runs the TypeScript sources
// through tsx instead: slower to start, but what a change to the sources needs.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/ponder.js', import.meta.url);

if (process.env.PONDER_FROM_SOURCE !== '1' && existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../electron/core/cli/index.ts', import.meta.url).href);
}
