import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { PonderError } from '../errors';
import { applyMigrations, checkSchemaVersion, type MigrationOutcome } from './apply-migrations';
import type { StoreRecovery } from './memory-types';
import { createMemoryStore, type MemoryStore } from './memory-store';
import type { Migration } from './migrations';
import { moveDamagedAside, salvageInto } from './recover-database';
import { isCorruption, toStoreError } from './sqlite-errors';

export interface OpenMemoryStoreOptions {
  /** The SQLite file; its folder is created when missing. */
  path: string;
  /** How long a write waits for another connection's write lock before failing with `db-busy`. @default 3000 */
  busyTimeoutMs?: number;
  /**
   * A damaged file or one that is not a database: `fail` throws `db-corrupt` and leaves it exactly
   * as it was; `recover` moves it aside and starts a new database with every row SQLite can still
   * read from it (only when the person asked for that). @default 'fail'
   */
  onCorrupt?: 'recover' | 'fail';
  /** Where `recover` keeps the damaged file, when that name is free. @default `<path>.damaged-<time>` */
  keepDamagedAt?: string;
  /** Called before each migration step runs, for progress. */
  onMigrationStep?: (migration: Migration) => void;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 3000;

class CorruptDatabase extends Error {}

/**
 * The database is damaged or is not a database, and was left untouched: `path` is the file and
 * `reason` what SQLite said, so the app can ask the person before recovering it.
 */
export class DamagedDatabaseError extends PonderError {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(
      'db-corrupt',
      `${path} is damaged or is not a Ponder conversation database (${reason}); it was left untouched.`,
      {
        hint: 'Run again with --recover to keep it aside and start a new database with every conversation that can still be read, or pass another file with --db.',
      },
    );
  }
}

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

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Opens (creating or migrating as needed) the conversation database at `path`.
 *
 * A damaged file (or one that is not a database) is refused and left byte for byte as it was,
 * unless `onCorrupt` is `recover`: then it is renamed to `<path>.damaged-<time>`, a new store is
 * opened in its place holding every conversation SQLite could still read from it, and
 * {@link MemoryStore.recovery} says where the old one went and what was saved, so the UI or CLI can
 * tell the person. Messages left `streaming` by a crash become `interrupted`.
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
    if (options.onCorrupt !== 'recover') throw new DamagedDatabaseError(path, error.message);
    const movedTo = moveDamagedAside(path, options.keepDamagedAt);
    try {
      opened = openChecked(path, options);
    } catch (retryError) {
      throw toStoreError(retryError, path);
    }
    const saved = salvageInto(movedTo, opened.db);
    recovery = {
      code: 'db-corrupt',
      movedTo,
      reason: error.message,
      salvaged: { conversations: saved.conversations, messages: saved.messages },
      notice: {
        code: 'db-corrupt',
        message: `The conversation database was damaged: it was kept at ${movedTo}, and a new one was started with the ${plural(saved.conversations, 'conversation')} and ${plural(saved.messages, 'message')} that could still be read.`,
        hint: 'The damaged file is kept as it was; SQLite tools may get more out of it.',
      },
    };
  }
  return createMemoryStore(opened.db, { path, recovery, migration: opened.migration });
}

/**
 * What the app's "Recover" action calls once the person has agreed: if the database at `path` is
 * damaged, keeps it aside and starts a new one with what SQLite can still read, then closes it.
 * @returns where the damaged file went and what was saved, or undefined when it was not damaged.
 */
export function recoverMemoryDatabase(path: string, keepAt?: string): StoreRecovery | undefined {
  const store = openMemoryStore({
    path,
    onCorrupt: 'recover',
    ...(keepAt === undefined ? {} : { keepDamagedAt: keepAt }),
  });
  const { recovery } = store;
  store.close();
  return recovery;
}
