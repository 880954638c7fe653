import { existsSync } from 'node:fs';

/** Debian's Chromium (`apt-get install chromium`); PONDER_CHROMIUM points elsewhere. */
export function chromiumPath(): string {
  return process.env.PONDER_CHROMIUM ?? '/usr/bin/chromium';
}

export function assertChromium(): void {
  if (!existsSync(chromiumPath())) {
    throw new Error(
      `Chromium is not installed at ${chromiumPath()}: run "apt-get install -y chromium" (as .ci/run does) or set PONDER_CHROMIUM.`,
    );
  }
}

/** No sandbox (containers run as root), no GPU, and nothing that phones home during a test. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
