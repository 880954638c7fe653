import type { SafeStorageLike } from '../engine-key-store';

/**
 * A stand-in for Electron's safeStorage, for tests in plain Node: it "encrypts" by
 * XOR with a per-instance secret behind a version prefix, like Chromium's `v10`/`v11` blobs, so a
 * key encrypted by one keychain cannot be read by another.
 */
export function fakeSafeStorage(
  options: { available?: boolean; backend?: string; secret?: number } = {},
) {
  const secret = options.secret ?? 0x5a;
  const storage: SafeStorageLike & { encrypted: number } = {
    encrypted: 0,
    isEncryptionAvailable: () => options.available ?? true,
    encryptString(plainText) {
      storage.encrypted += 1;
      const body = Buffer.from(plainText, 'utf8').map((byte) => byte ^ secret);
      return Buffer.concat([Buffer.from(`v1${String.fromCharCode(secret)}`), body]);
    },
    decryptString(encrypted) {
      if (encrypted.subarray(0, 3).toString('latin1') !== `v1${String.fromCharCode(secret)}`) {
        throw new Error(
          'Error while decrypting the ciphertext provided to safeStorage.decryptString.',
        );
      }
      return Buffer.from(encrypted.subarray(3).map((byte) => byte ^ secret)).toString('utf8');
    },
    ...(options.backend ? { getSelectedStorageBackend: () => options.backend as string } : {}),
  };
  return storage;
}
