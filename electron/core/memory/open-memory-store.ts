import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { PonderError } from '../errors';
import { applyMigrations, checkSchemaVersion, type MigrationOutcome } from './apply-migrations';
import type { StoreRecovery } from './memory-types';
import { createMemoryStore, type MemoryStore } from './memory-store';
import type { Migration } from './migrations';
import { isCorruption, toStoreError } from './sqlite-errors';

export interface OpenMemoryStoreOptions {
  /** The SQLite file; its folder is created when missing. */
  path: string;
  /** How long a write waits for another connection's write lock before failing with `db-busy`. @default 3000 */
  busyTimeoutMs?: number;
  /** `recover` keeps a damaged file aside and starts a fresh one; `fail` throws `db-corrupt`. @default 'recover' */
  onCorrupt?: 'recover' | 'fail';
  /** Called before each migration step runs, for progress. */
  onMigrationStep?: (migration: Migration) => void;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 3000;

class CorruptDatabase extends Error {}

function configure(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  // Every commit reaches the disk before it is acknowledged, so power loss cannot take the last
  // message (SECURITY #19). A commit costs one fsync of the WAL; answers are saved every 250 ms.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
}

function quickCheck(db: Database.Database): void {
  const rows = db.pragma('quick_check') as { quick_check: string }[];
  const problems = rows.map((row) => row.quick_check).filter((line) => line !== 'ok');
  if (problems.length > 0) throw new CorruptDatabase(problems.slice(0, 3).join('; '));
}

function openChecked(
  path: string,
  options: OpenMemoryStoreOptions,
): { db: Database.Database; migration: MigrationOutcome } {
  const db = new Database(path, { timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
  try {
    // Read-only checks first, so a file Ponder refuses is left exactly as it was.
    checkSchemaVersion(db, path);
    quickCheck(db);
    configure(db);
    const migration = applyMigrations(db, path, options.onMigrationStep);
    return { db, migration };
  } catch (error) {
    db.close();
    if (isCorruption(error)) {
      throw new CorruptDatabase(error instanceof Error ? error.message : String(error));
    }
    throw error;
  }
}

function stamp(): string {
  return new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** Moves the damaged file (and its WAL, which may hold the newest pages) aside; nothing is deleted. */
function moveAside(path: string): string {
  let movedTo = `${path}.corrupt-${stamp()}`;
  for (let n = 2; existsSync(movedTo); n += 1) movedTo = `${path}.corrupt-${stamp()}-${n}`;
  renameSync(path, movedTo);
  for (const suffix of ['-wal', '-shm', '-journal']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, movedTo + suffix);
  }
  return movedTo;
}

/**
 * Opens (creating or migrating as needed) the conversation database at `path`.
 *
 * A damaged file is never deleted: it is renamed to `<path>.corrupt-<time>`, a fresh store is
 * opened in its place, and {@link MemoryStore.recovery} says where the old one went so the UI or
 * CLI can tell the person. Messages left `streaming` by a crash become `interrupted`.
 *
 * @throws PonderError `db-busy` when another connection holds the write lock past the timeout,
 * `db-corrupt` when damaged and `onCorrupt` is `fail`, `db-error` for a newer schema, a foreign
 * database or a file that cannot be opened.
 */
export function openMemoryStore(options: OpenMemoryStoreOptions): MemoryStore {
  const path = resolve(options.path);
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw new PonderError(
      'db-error',
      `Cannot create the folder for the conversation database ${path}.`,
      {
        hint: 'Check the path and your permissions, or pass another file with --db.',
        cause: error,
      },
    );
  }

  let recovery: StoreRecovery | undefined;
  let opened: { db: Database.Database; migration: MigrationOutcome };
  try {
    opened = openChecked(path, options);
  } catch (error) {
    if (!(error instanceof CorruptDatabase)) throw toStoreError(error, path);
    if (options.onCorrupt === 'fail') {
      throw new PonderError(
        'db-corrupt',
        `The conversation database ${path} is damaged (${error.message}).`,
        {
          hint: 'Open it with Ponder to keep it aside and start a fresh one, or pass another file with --db.',
        },
      );
    }
    const movedTo = moveAside(path);
    recovery = {
      code: 'db-corrupt',
      movedTo,
      reason: error.message,
      notice: {
        code: 'db-corrupt',
        message: `Your conversation database was damaged; it was kept at ${movedTo} and a new one was started.`,
        hint: 'Your earlier conversations are not lost: the old file can be inspected or repaired with SQLite tools.',
      },
    };
    try {
      opened = openChecked(path, options);
    } catch (retryError) {
      throw toStoreError(retryError, path);
    }
  }
  return createMemoryStore(opened.db, { path, recovery, migration: opened.migration });
}
