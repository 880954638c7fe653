import { join } from 'node:path';
// Not through '../config': its settings schema loads zod, which `ponder history` does not need.
import { defaultDataDir } from '../config/data-dir';

/**
 * The conversation database the app, the CLI and the server share unless told otherwise:
 * `PONDER_DB`, else `ponder.db` in the data folder (as `resolveConfig` picks it).
 */
export function defaultDatabasePath(
  env: NodeJS.ProcessEnv = process.env,
  dataDir: string = defaultDataDir(env),
): string {
  return env.PONDER_DB || join(dataDir, 'ponder.db');
}
