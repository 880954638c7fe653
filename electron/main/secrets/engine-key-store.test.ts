import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngineKeyStore, engineKeyFile } from './engine-key-store';
import { fakeSafeStorage } from './testing/fake-safe-storage';

const dirs: string[] = [];
const dataDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'ponder-engine-key-'));
  dirs.push(dir);
  return dir;
};

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const KEY = 'sk-engine-4f9d1c7e0b2a';

describe('the engine key in the OS keychain', () => {
  it('keeps the key encrypted in the data folder, owner-only, and reads it back', () => {
    const dir = dataDir();
    const storage = fakeSafeStorage({ backend: 'gnome_libsecret' });
    const store = createEngineKeyStore(dir, storage);
    expect(store.status()).toEqual({ available: true, saved: false });
    expect(store.get()).toBeUndefined();

    expect(store.set(`  ${KEY}\n`)).toEqual({ available: true, saved: true });
    expect(storage.encrypted).toBe(1);
    expect(store.get()).toBe(KEY);
    // A new app start (a new store over the same folder) finds it.
    expect(createEngineKeyStore(dir, storage).get()).toBe(KEY);

    // Nowhere in the folder is the key in plain text, settings.json included.
    for (const name of readdirSync(dir)) {
      expect(readFileSync(join(dir, name)).toString('latin1')).not.toContain(KEY);
    }
    expect(readdirSync(dir)).toEqual(['engine-key.bin']);
    if (process.platform !== 'win32') {
      expect(statSync(engineKeyFile(dir)).mode & 0o777).toBe(0o600);
    }
  });

  it('forgets the key', () => {
    const dir = dataDir();
    const store = createEngineKeyStore(dir, fakeSafeStorage());
    store.set(KEY);
    expect(store.clear()).toEqual({ available: true, saved: false });
    expect(store.get()).toBeUndefined();
    expect(existsSync(engineKeyFile(dir))).toBe(false);
  });

  it('where safeStorage cannot encrypt, stores nothing and says why', () => {
    const dir = dataDir();
    const store = createEngineKeyStore(dir, fakeSafeStorage({ available: false }));
    expect(store.status()).toEqual({
      available: false,
      saved: false,
      reason: 'This system offers no keychain to encrypt the key with.',
    });
    expect(() => store.set(KEY)).toThrow(
      expect.objectContaining({
        code: 'forbidden',
        hint: 'Put the key in an environment variable and name it under "API key variable".',
      }),
    );
    expect(readdirSync(dir)).toEqual([]);
    expect(store.get()).toBeUndefined();
  });

  it("refuses Linux's basic_text backend, whose encryption uses a fixed password", () => {
    const dir = dataDir();
    const storage = fakeSafeStorage({ backend: 'basic_text' });
    const store = createEngineKeyStore(dir, storage);
    expect(store.status()).toMatchObject({ available: false, saved: false });
    expect(store.status().reason).toMatch(/^No Secret Service or KWallet keychain was found/);
    expect(() => store.set(KEY)).toThrow(/fixed password/);
    expect(storage.encrypted).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a key saved under another keychain is reported, not sent', () => {
    const dir = dataDir();
    createEngineKeyStore(dir, fakeSafeStorage({ secret: 0x11 })).set(KEY);
    const other = createEngineKeyStore(dir, fakeSafeStorage({ secret: 0x22 }));
    expect(other.get()).toBeUndefined();
    expect(other.status()).toEqual({
      available: true,
      saved: false,
      reason: 'The saved key cannot be decrypted on this system; save it again.',
    });
  });

  it('refuses a key that could not be sent in a header, and keeps the one saved', () => {
    const dir = dataDir();
    const store = createEngineKeyStore(dir, fakeSafeStorage());
    store.set(KEY);
    for (const bad of ['', '   ', 'two words', 'line\nbreak', 'clé-ünïcode', 'x'.repeat(5000)]) {
      expect(() => store.set(bad)).toThrow(expect.objectContaining({ code: 'invalid-input' }));
    }
    expect(store.get()).toBe(KEY);
  });
});
