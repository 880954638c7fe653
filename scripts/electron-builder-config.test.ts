import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// electron-builder reads its YAML with js-yaml, so the test parses it with the same library.
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

const config = yaml.load(
  readFileSync(resolve(import.meta.dirname, '../electron-builder.yml'), 'utf8'),
) as {
  electronFuses: Record<string, boolean>;
  asarUnpack: string[];
  npmRebuild: boolean;
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
  files: string[];
};

describe('electron-builder.yml', () => {
  it('sets the fuses of SECURITY.md #12 (scripts/check-fuses.js reads them from a packaged app)', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('unpacks the native modules from the asar and rebuilds them for Electron', () => {
    for (const module of ['node-llama-cpp', '@node-llama-cpp', 'better-sqlite3']) {
      expect(config.asarUnpack).toContain(`node_modules/${module}/**`);
    }
    expect(config.npmRebuild).toBe(true);
  });

  it('builds AppImage, deb, NSIS and DMG from the electron-vite output', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.files).toContain('out/**');
  });
});
