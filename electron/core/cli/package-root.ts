import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Ponder's own folder (the one with its package.json), found from this module upward: the sources
 * (electron/core/cli) and the compiled command (dist/cli) sit at different depths in it.
 */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 8; depth += 1) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'ponder') {
          return dir;
        }
      } catch {
        // Not readable as JSON: keep looking upward.
      }
    }
    dir = dirname(dir);
  }
  return process.cwd();
}

/** A path inside Ponder's folder. */
export function packageFile(relative: string): string {
  return join(packageRoot(), relative);
}
