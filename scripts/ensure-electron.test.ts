import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const realElectron = join(root, 'node_modules', 'electron');
const work = mkdtempSync(join(tmpdir(), 'ponder-ensure-electron-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A copy of the electron package without its binary, whose installer can reach no mirror. */
function electronWithoutBinary(): string {
  const dir = join(work, 'electron');
  mkdirSync(dir, { recursive: true });
  for (const file of ['package.json', 'install.js', 'checksums.json']) {
    copyFileSync(join(realElectron, file), join(dir, file));
  }
  // The installer requires @electron/get: resolve it from the project's node_modules.
  symlinkSync(join(root, 'node_modules'), join(dirname(dir), 'node_modules'), 'dir');
  return dir;
}

describe('scripts/ensure-electron.js', () => {
  it('stops with one clear line and a non-zero exit when the binary cannot be fetched', () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PONDER_ELECTRON_PACKAGE_DIR: electronWithoutBinary(),
      // Port 9 on loopback refuses connections: the download fails here and everywhere else.
      ELECTRON_MIRROR: 'http://127.0.0.1:9/',
      electron_config_cache: join(work, 'cache'),
    };
    delete env.ELECTRON_OVERRIDE_DIST_PATH;
    const result = spawnSync(process.execPath, [join(root, 'scripts', 'ensure-electron.js')], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^Ponder cannot start: Electron \d+\.\d+\.\d+'s binary is not installed/,
    );
    expect(lines[0]).toContain('ELECTRON_OVERRIDE_DIST_PATH');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
