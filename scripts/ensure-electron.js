#!/usr/bin/env node
// Makes sure Electron's binary is present before `npm start` / `npm run dev`.
// electron-vite reads the binary's path without running Electron's first-run download, so a missing
// binary would otherwise surface as a stack trace deep inside a spawn. Here we run Electron's own
// installer and, when it cannot fetch the binary (offline, blocked mirror), say so in one line.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The electron package folder; PONDER_ELECTRON_PACKAGE_DIR points elsewhere (tests use a copy). */
function electronPackageDir() {
  if (process.env.PONDER_ELECTRON_PACKAGE_DIR) return process.env.PONDER_ELECTRON_PACKAGE_DIR;
  return dirname(require.resolve('electron/package.json'));
}

function binaryPath(dir) {
  let relative;
  try {
    relative = readFileSync(join(dir, 'path.txt'), 'utf8').trim();
  } catch {
    return null;
  }
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(dir, 'dist');
  const full = join(distDir, relative);
  return existsSync(full) ? full : null;
}

/** The installer's own explanation, reduced to one line (it prints a stack trace). */
function reasonFrom(output) {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('at '));
  const errorLine = lines.find((line) => /^[A-Za-z]*Error\b/.test(line)) ?? lines[0];
  if (!errorLine) return 'the installer gave no reason';
  return errorLine.replace(/^[A-Za-z]*Error:\s*/, '').slice(0, 160);
}

const dir = electronPackageDir();
const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

if (!binaryPath(dir)) {
  const result = spawnSync(process.execPath, [join(dir, 'install.js')], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 10 * 60_000,
  });
  if (result.status !== 0 || !binaryPath(dir)) {
    const reason = result.error
      ? result.error.message
      : reasonFrom(`${result.stderr ?? ''}\n${result.stdout ?? ''}`);
    console.error(
      `Ponder cannot start: Electron ${version}'s binary is not installed and could not be downloaded (${reason}); ` +
        `connect to the internet and run "npm start" again, or set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron ${version}.`,
    );
    process.exit(1);
  }
}
