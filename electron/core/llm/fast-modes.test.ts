import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { saveSettings } from '../config/settings';
import { chooseFastModes, fastModesSetting } from './fast-modes';

describe('fast modes setting', () => {
  it('reads PONDER_FAST_MODES, else settings.json, else auto', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ponder-fast-modes-'));
    expect(fastModesSetting({ PONDER_DATA_DIR: dataDir })).toBe('auto');
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ fastModes: 'off' }));
    expect(fastModesSetting({ PONDER_DATA_DIR: dataDir })).toBe('off');
    expect(fastModesSetting({ PONDER_DATA_DIR: dataDir, PONDER_FAST_MODES: 'on' })).toBe('on');
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ fastModes: 'fast' }));
    expect(fastModesSetting({ PONDER_DATA_DIR: dataDir, PONDER_FAST_MODES: 'x' })).toBe('auto');
  });

  it('takes the setting the app resolved over settings.json, and PONDER_FAST_MODES over both', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ponder-fast-modes-given-'));
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ fastModes: 'off' }));
    expect(fastModesSetting({}, dataDir, 'on')).toBe('on');
    expect(fastModesSetting({ PONDER_FAST_MODES: 'auto' }, dataDir, 'on')).toBe('auto');
    expect(fastModesSetting({}, dataDir)).toBe('off');
  });

  it('is saved from Settings and read back by the engine; other values are refused', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ponder-fast-modes-save-'));
    saveSettings(dataDir, { fastModes: 'on' });
    expect(fastModesSetting({ PONDER_DATA_DIR: dataDir })).toBe('on');
    saveSettings(dataDir, { topK: 3 });
    expect(fastModesSetting({ PONDER_DATA_DIR: dataDir })).toBe('on');
    expect(() => saveSettings(dataDir, { fastModes: 'always' })).toThrow(
      /Invalid setting "fastModes"/,
    );
  });

  it('keeps runtime LoRA when off or when nothing was merged, and says why', async () => {
    const cacheRoot = mkdtempSync(join(tmpdir(), 'ponder-fast-modes-cache-'));
    const common = {
      basePath: join(cacheRoot, 'base.gguf'),
      adapters: { sft: join(cacheRoot, 'sft.gguf') },
      cacheRoot,
      freeMemoryBytes: 1e12,
    };
    const off = await chooseFastModes({ ...common, setting: 'off' });
    expect(off).toMatchObject({ models: {}, reason: 'Fast modes are off: runtime LoRA.' });
    const auto = await chooseFastModes({ ...common, setting: 'auto' });
    expect(auto.models).toEqual({});
    expect(auto.reason).toMatch(
      /^Runtime LoRA: no merged model for sft \(run `ponder models merge`/,
    );
  });
});
