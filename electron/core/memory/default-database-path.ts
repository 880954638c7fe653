import { join } from 'node:path';
import { defaultDataDir } from '../config';

/** The conversation database the app, the CLI and the server share unless told otherwise. */
export function defaultDatabasePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(defaultDataDir(env), 'ponder.db');
}
