import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Ponder keeps settings, the database and downloaded models. It matches what Electron's
 * `app.getPath('userData')` gives for the product name "Ponder", so the app, the CLI and the server
 * share one folder. `PONDER_DATA_DIR` overrides it.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.PONDER_DATA_DIR;
  if (override) return override;
  switch (process.platform) {
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', 'Ponder');
    case 'win32':
      return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Ponder');
    default:
      return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Ponder');
  }
}
