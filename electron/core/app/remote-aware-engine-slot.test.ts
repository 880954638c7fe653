import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig, saveSettings } from '../config';
import { remoteEngineOptionsFrom } from './remote-aware-engine-slot';

const dataDir = () => mkdtempSync(path.join(os.tmpdir(), 'ponder-engine-settings-'));

describe('remote engine settings', () => {
  it('reads the engine from settings.json, with command-line flags over it', () => {
    const dir = dataDir();
    saveSettings(dir, {
      engine: {
        kind: 'remote',
        url: 'http://gpu-box:8000',
        modes: { chat: { model: 'sft' }, reasoning: { model: 'grpo' } },
      },
    });
    // Saving one field keeps the others.
    saveSettings(dir, { engine: { timeoutSeconds: 30 } });
    const saved = resolveConfig({ dataDir: dir }, {});
    expect(saved.engine).toMatchObject({
      kind: 'remote',
      url: 'http://gpu-box:8000',
      timeoutSeconds: 30,
      modes: { chat: { model: 'sft' }, reasoning: { model: 'grpo' } },
    });
    const flagged = resolveConfig(
      { dataDir: dir, engineUrl: 'http://127.0.0.1:8080', modeLoras: ['chat=0', 'search=1:0.5'] },
      {},
    );
    expect(flagged.engine).toMatchObject({
      kind: 'remote',
      url: 'http://127.0.0.1:8080',
      modes: {
        chat: { lora: [{ id: 0, scale: 1 }] },
        reasoning: { model: 'grpo' },
        search: { lora: [{ id: 1, scale: 0.5 }] },
      },
    });
    expect(resolveConfig({ dataDir: dir, engine: 'local' }, {}).engine.kind).toBe('local');
  });

  it('defaults to the local engine', () => {
    expect(resolveConfig({ dataDir: dataDir() }, {}).engine).toMatchObject({
      kind: 'local',
      url: null,
    });
  });

  it('takes the key from the named variable and never writes it to settings.json', () => {
    const dir = dataDir();
    saveSettings(dir, { engine: { kind: 'remote', url: 'https://llm.example.com' } });
    const config = resolveConfig({ dataDir: dir, engineKeyEnv: 'PONDER_ENGINE_KEY' }, {});
    const env = { PONDER_ENGINE_KEY: 'secret-key-42' };
    expect(remoteEngineOptionsFrom(config, { env }).apiKey).toBe('secret-key-42');
    expect(readFileSync(path.join(dir, 'settings.json'), 'utf8')).not.toContain('secret-key-42');
    expect(() => remoteEngineOptionsFrom(config, { env: {} })).toThrow(
      "The variable PONDER_ENGINE_KEY that should hold the engine's API key is not set.",
    );
    // Without a variable, the desktop app's keychain supplies it.
    const plain = resolveConfig({ dataDir: dir }, {});
    expect(remoteEngineOptionsFrom(plain, { env, keychain: () => 'from-keychain' }).apiKey).toBe(
      'from-keychain',
    );
  });

  it('refuses a remote engine without an address, and bad values, with one line', () => {
    const config = resolveConfig({ dataDir: dataDir(), engine: 'remote' }, {});
    expect(() => remoteEngineOptionsFrom(config, { env: {} })).toThrow(
      'The remote engine has no server address.',
    );
    expect(() => resolveConfig({ dataDir: dataDir(), engineUrl: 'gpu-box' }, {})).toThrow(
      /^Invalid option --engine-url/,
    );
    expect(() => resolveConfig({ dataDir: dataDir(), engineKeyEnv: 'not a name' }, {})).toThrow(
      /^Invalid option --engine-key-env/,
    );
    expect(() => saveSettings(dataDir(), { engine: { kind: 'cloud' } })).toThrow(
      /^Invalid setting "engine.kind"/,
    );
  });
});
