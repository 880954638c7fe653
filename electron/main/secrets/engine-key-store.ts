import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { EngineKeyStatus } from '../../shared';
import { PonderError } from '../../core/errors';

/** The part of Electron's `safeStorage` the key store uses (a fake of it in tests). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: `basic_text` means no keychain was found and the "encryption" key is a constant. */
  getSelectedStorageBackend?(): string;
}

/** The remote engine's API key, kept encrypted by the OS keychain in the data folder. */
export interface EngineKeyStore {
  status(): EngineKeyStatus;
  /** The saved key, or undefined when there is none or it cannot be decrypted here. */
  get(): string | undefined;
  /** Saves the key (encrypted); throws when this system has no keychain to encrypt it with. */
  set(key: string): EngineKeyStatus;
  /** Forgets the saved key. */
  clear(): EngineKeyStatus;
}

/** The file beside settings.json that holds the encrypted key (never the key itself). */
export function engineKeyFile(dataDir: string): string {
  return join(dataDir, 'engine-key.bin');
}

const MAX_KEY_CHARS = 4096;

/** Why the key cannot be kept in the keychain here, or undefined when it can. */
function unavailableReason(safeStorage: SafeStorageLike): string | undefined {
  let available = false;
  try {
    available = safeStorage.isEncryptionAvailable();
  } catch {
    available = false;
  }
  if (!available) return 'This system offers no keychain to encrypt the key with.';
  // On Linux without Secret Service or KWallet, Electron "encrypts" with a fixed password.
  if (safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
    return "No Secret Service or KWallet keychain was found, and Electron's fallback encrypts with a fixed password.";
  }
  return undefined;
}

/**
 * Keeps the remote engine's API key through Electron's safeStorage: encrypted with the OS keychain
 * and written to `engine-key.bin` in the data folder (owner-only), never to settings.json. Where
 * safeStorage cannot encrypt, nothing is stored and the status says why; the key then comes from the
 * environment variable named in Settings → Engine, as it does for the CLI.
 */
export function createEngineKeyStore(
  dataDir: string,
  safeStorage: SafeStorageLike,
): EngineKeyStore {
  const file = engineKeyFile(dataDir);

  const read = (): string | undefined => {
    if (unavailableReason(safeStorage) || !existsSync(file)) return undefined;
    try {
      const key = safeStorage.decryptString(readFileSync(file));
      return key || undefined;
    } catch {
      return undefined;
    }
  };

  const store: EngineKeyStore = {
    status() {
      const reason = unavailableReason(safeStorage);
      if (reason) return { available: false, saved: false, reason };
      const saved = existsSync(file);
      if (saved && read() === undefined) {
        return {
          available: true,
          saved: false,
          reason: 'The saved key cannot be decrypted on this system; save it again.',
        };
      }
      return { available: true, saved };
    },
    get: read,
    set(key) {
      const reason = unavailableReason(safeStorage);
      if (reason) {
        throw new PonderError('forbidden', reason, {
          hint: 'Put the key in an environment variable and name it under "API key variable".',
        });
      }
      const trimmed = key.trim();
      if (trimmed.length > MAX_KEY_CHARS || !/^[\x21-\x7e]+$/.test(trimmed)) {
        throw new PonderError(
          'invalid-input',
          'The API key must be one word of printable ASCII characters.',
        );
      }
      const encrypted = safeStorage.encryptString(trimmed);
      mkdirSync(dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, encrypted, { mode: 0o600 });
      chmodSync(temporary, 0o600);
      renameSync(temporary, file);
      return store.status();
    },
    clear() {
      rmSync(file, { force: true });
      return store.status();
    },
  };
  return store;
}
