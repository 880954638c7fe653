import { existsSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { PonderError } from '../errors';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations';
import { toStoreError } from './sqlite-errors';

export interface MigrationOutcome {
  from: number;
  to: number;
  /** The copy made before migrating; absent for a new file or one already up to date. */
  backupPath: string | undefined;
}

function timestamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '');
}

/**
 * Refuses, before anything is written, a file from a newer Ponder or another program's database.
 * @returns the schema version of the file.
 */
export function checkSchemaVersion(db: Database.Database, path: string): number {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > LATEST_SCHEMA_VERSION) {
    throw new PonderError(
      'db-error',
      `The conversation database ${path} was written by a newer Ponder (schema ${version}, this one knows ${LATEST_SCHEMA_VERSION}).`,
      { hint: 'Update Ponder, or pass another file with --db.' },
    );
  }
  const tableCount = db
    .prepare(`SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'`)
    .pluck()
    .get() as number;
  if (version === 0 && tableCount > 0) {
    throw new PonderError('db-error', `${path} is a SQLite database, but not one of Ponder's.`, {
      hint: 'Pass another file with --db; Ponder leaves this one untouched.',
    });
  }
  return version;
}

/**
 * Brings the file up to {@link LATEST_SCHEMA_VERSION}. An existing database is first copied
 * (`VACUUM INTO`, a consistent snapshot even with a WAL) next to itself; then every pending step runs
 * in one `BEGIN IMMEDIATE` transaction together with the `user_version` bump, so a crash part-way
 * leaves the old schema and its data exactly as they were.
 */
export function applyMigrations(
  db: Database.Database,
  path: string,
  onStep?: (migration: Migration) => void,
): MigrationOutcome {
  const from = checkSchemaVersion(db, path);
  if (from === LATEST_SCHEMA_VERSION) return { from, to: from, backupPath: undefined };

  let backupPath: string | undefined;
  if (from > 0) {
    backupPath = `${path}.backup-v${from}-${timestamp(new Date())}`;
    for (let n = 2; existsSync(backupPath); n += 1) {
      backupPath = `${path}.backup-v${from}-${timestamp(new Date())}-${n}`;
    }
    try {
      db.prepare('VACUUM INTO ?').run(backupPath);
    } catch (error) {
      throw toStoreError(error, path);
    }
  }

  const pending = MIGRATIONS.filter((migration) => migration.version > from);
  try {
    db.transaction(() => {
      for (const migration of pending) {
        onStep?.(migration);
        db.exec(migration.sql);
        db.pragma(`user_version = ${migration.version}`);
      }
    }).immediate();
  } catch (error) {
    throw toStoreError(error, path);
  }
  return { from, to: LATEST_SCHEMA_VERSION, backupPath };
}
