import { join } from 'node:path';

/** Where main finds its preload, the renderer bundle and the tray icon, packaged or not. */
export function resourcePaths(options: {
  mainDir: string;
  packaged: boolean;
  resourcesPath: string;
}) {
  return {
    preload: join(options.mainDir, '../preload/index.cjs'),
    bundle: join(options.mainDir, '../renderer'),
    trayIcon: options.packaged
      ? join(options.resourcesPath, 'tray.png')
      : join(options.mainDir, '../../build/tray.png'),
  };
}
