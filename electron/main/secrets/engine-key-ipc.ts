import type { EngineKeyStatus } from '../../shared';
import type { PonderCore } from '../../core/app';
import type { EngineKeyStore } from './engine-key-store';

const NO_STORE: EngineKeyStatus = {
  available: false,
  saved: false,
  reason: 'This system offers no keychain to encrypt the key with.',
};

/**
 * Settings → Engine's key field in the desktop app. Saving or forgetting the key records when in the
 * engine settings (never the key), so a connected remote engine reconnects with the new key.
 */
export function engineKeyHandlers(core: PonderCore, store: EngineKeyStore | undefined) {
  return {
    status: (): EngineKeyStatus => store?.status() ?? NO_STORE,
    set(key: string | null): EngineKeyStatus {
      if (!store) return NO_STORE;
      const status = key === null ? store.clear() : store.set(key);
      core.settings.update({ engine: { keyChangedAt: new Date().toISOString() } });
      return status;
    },
  };
}
