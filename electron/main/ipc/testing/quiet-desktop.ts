import type { DesktopHost } from '../ipc-handlers';

/**
 * The desktop around the IPC handlers when no window system is there: no file picker, a registered
 * shortcut, and nothing to show or open. Tests of the handlers then exercise the real core.
 */
export const quietDesktop: DesktopHost = {
  pickFile: async () => null,
  shortcutStatus: () => ({ accelerator: 'CommandOrControl+Shift+Space', registered: true }),
  settingsChanged: () => {},
  setDefaultMode: () => {},
  hideQuickAsk: () => {},
  openInMain: () => {},
  openExternal: async () => {},
};
