import { globalShortcut } from 'electron';
import type { ShortcutStatus } from '../../shared';

/** Why a registration can fail where the OS gives no reason; settings show this to the person. */
export function shortcutFailureReason(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  if (platform === 'linux' && (env.XDG_SESSION_TYPE === 'wayland' || env.WAYLAND_DISPLAY)) {
    return 'Global shortcuts need the desktop\'s GlobalShortcuts portal under Wayland; it is missing or refused the shortcut. Use the tray\'s Quick Ask, or bind a desktop shortcut to "ponder --quick-ask".';
  }
  return 'Another application already uses this shortcut. Choose a different one.';
}

/** Registers the quick-ask accelerator and remembers whether that worked. */
export function createQuickAskShortcut(onPress: () => void) {
  let status: ShortcutStatus = { accelerator: '', registered: false };
  return {
    register(accelerator: string): ShortcutStatus {
      if (status.registered && status.accelerator === accelerator) return status;
      if (status.registered) globalShortcut.unregister(status.accelerator);
      let registered = false;
      let reason: string | undefined;
      try {
        registered = globalShortcut.register(accelerator, onPress);
      } catch (error) {
        reason = `"${accelerator}" is not a valid shortcut (${error instanceof Error ? error.message : String(error)}).`;
      }
      if (!registered && !reason) reason = shortcutFailureReason(process.platform, process.env);
      status = { accelerator, registered, ...(reason ? { reason } : {}) };
      return status;
    },
    status: (): ShortcutStatus => status,
    dispose(): void {
      if (status.registered) globalShortcut.unregister(status.accelerator);
    },
  };
}
