#!/usr/bin/env node
// Reads the Electron fuses of a packaged Ponder (SECURITY.md #12) and fails unless each is as
// electron-builder.yml sets it. Usage: node scripts/check-fuses.js release/0.1.0/linux-unpacked/ponder
import { FuseV1Options, FuseState, getCurrentFuseWire } from '@electron/fuses';

const EXPECTED = {
  [FuseV1Options.RunAsNode]: FuseState.DISABLE,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: FuseState.DISABLE,
  [FuseV1Options.EnableNodeCliInspectArguments]: FuseState.DISABLE,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: FuseState.ENABLE,
  [FuseV1Options.OnlyLoadAppFromAsar]: FuseState.ENABLE,
};

const binary = process.argv[2];
if (!binary) {
  console.error('Give the packaged executable: node scripts/check-fuses.js PATH');
  process.exit(2);
}
const wire = await getCurrentFuseWire(binary);
const wrong = Object.entries(EXPECTED).filter(([fuse, state]) => wire[fuse] !== state);
for (const [fuse, state] of Object.entries(EXPECTED)) {
  const name = FuseV1Options[fuse];
  console.log(
    `${wire[fuse] === state ? 'ok  ' : 'BAD '} ${name}: ${FuseState[wire[fuse]] ?? 'missing'}`,
  );
}
if (wrong.length > 0) {
  console.error(`${wrong.length} fuse(s) are not as electron-builder.yml sets them.`);
  process.exit(1);
}
