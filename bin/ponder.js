#!/usr/bin/env node
// The CLI runs from the TypeScript sources through tsx, so `npx ponder` needs no build step.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register();
await import(fileURLToPath(new URL('../electron/core/cli/index.ts', import.meta.url)));
