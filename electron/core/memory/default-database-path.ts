import { join } from 'node:path';
// Not through '../config': its settings schema loads zod, which `ponder history` does not need.
import { defaultDataDir } from '../config/data-dir';

/** The conversation database the app, the CLI and the server share unless told otherwise. */
export function defaultDatabasePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(defaultDataDir(env), 'ponder.db');
}
