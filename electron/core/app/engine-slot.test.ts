import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig, saveSettings } from '../config';
import { engineOptionsFrom } from './engine-slot';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('engine options from the app settings', () => {
  it('hand the engine the saved fast modes setting and the data folder', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ponder-engine-options-'));
    dirs.push(dataDir);
    saveSettings(dataDir, { modelPath: '/models/base.gguf', fastModes: 'off' });
    expect(engineOptionsFrom(resolveConfig({ dataDir }, {}))).toMatchObject({
      modelPath: '/models/base.gguf',
      dataDir,
      fastModes: 'off',
    });
  });

  it('are none without a model', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ponder-engine-options-'));
    dirs.push(dataDir);
    expect(engineOptionsFrom(resolveConfig({ dataDir }, {}))).toBeUndefined();
  });
});
