import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureFixtures } from '../models/fixtures';
import { isCliBuildStale } from '../scripts/cli-build-paths';
import { assertChromium } from './support/chromium';
import { ROOT } from './support/paths';

/** Test models, the built web UI and a browser: everything the suites need, made or checked once. */
export default async function globalSetup(): Promise<void> {
  await ensureFixtures();
  if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) {
    const built = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('electron-vite build failed; see above.');
  }
  // `ponder serve` runs the compiled CLI when there is one: it must be built from these sources.
  if (isCliBuildStale()) {
    const built = spawnSync('npm', ['run', 'build:cli'], { cwd: ROOT, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('npm run build:cli failed; see above.');
  }
  assertChromium();
}
