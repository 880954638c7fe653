import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the compiled `ponder` command lives, and the sources it is compiled from. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI_SOURCE_DIR = join(ROOT, 'electron/core');
export const CLI_BUILD_DIR = join(ROOT, 'dist/cli');
export const STAMP_FILE = join(CLI_BUILD_DIR, 'build-info.json');

/** Everything the CLI bundle is made of: electron/core and electron/shared, tests aside. */
const SOURCE_DIRS = [CLI_SOURCE_DIR, join(ROOT, 'electron/shared')];

function newestSourceMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMs(path));
    else if (entry.name.endsWith('.ts') && !/\.test\.ts$/.test(entry.name)) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/** True when dist/cli is missing or older than a source file it is built from. */
export function isCliBuildStale(): boolean {
  if (!existsSync(STAMP_FILE)) return true;
  const builtAt = statSync(STAMP_FILE).mtimeMs;
  // How it is built counts too: a change to the build script makes the old output stale.
  const buildScripts = [
    'scripts/build-cli.ts',
    'scripts/bundle-node-llama-cpp.ts',
    'scripts/esm-bundle-options.ts',
  ].map((script) => statSync(join(ROOT, script)).mtimeMs);
  return (
    Math.max(...buildScripts) > builtAt || SOURCE_DIRS.some((dir) => newestSourceMs(dir) > builtAt)
  );
}
