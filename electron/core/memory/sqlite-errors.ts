import type Database from 'better-sqlite3';
import { PonderError } from '../errors';

/** better-sqlite3 puts SQLite's (extended) result code name on its errors. */
export function sqliteCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

export function isBusy(error: unknown): boolean {
  const code = sqliteCode(error);
  return code !== undefined && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

export function isCorruption(error: unknown): boolean {
  const code = sqliteCode(error);
  return code !== undefined && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

/** Turns a SQLite failure into one a person can act on; anything else passes through. */
export function toStoreError(error: unknown, path: string): unknown {
  if (error instanceof PonderError) return error;
  if (error instanceof TypeError && /database connection is not open/.test(error.message)) {
    return new PonderError('db-error', `The conversation database ${path} is already closed.`, {
      cause: error,
    });
  }
  const code = sqliteCode(error);
  if (code === undefined) return error;
  const detail = error instanceof Error ? error.message : code;
  if (isBusy(error)) {
    return new PonderError(
      'db-busy',
      `The conversation database ${path} is busy: another program is writing to it.`,
      {
        hint: 'Wait a moment and try again, or close the other Ponder window or command using it.',
        cause: error,
      },
    );
  }
  if (isCorruption(error)) {
    return new PonderError(
      'db-corrupt',
      `The conversation database ${path} is damaged (${detail}).`,
      {
        hint: 'Run again with --recover to keep it aside and start a new database with every conversation that can still be read.',
        cause: error,
      },
    );
  }
  if (code.startsWith('SQLITE_FULL')) {
    return new PonderError(
      'db-error',
      `The disk holding ${path} is full; the last change was not saved.`,
      {
        hint: 'Free some space and try again.',
        cause: error,
      },
    );
  }
  if (
    code.startsWith('SQLITE_READONLY') ||
    code.startsWith('SQLITE_CANTOPEN') ||
    code.startsWith('SQLITE_PERM')
  ) {
    return new PonderError(
      'db-error',
      `Ponder cannot write the conversation database ${path} (${detail}).`,
      {
        hint: 'Check that the folder exists and that you may write to it, or pass another file with --db.',
        cause: error,
      },
    );
  }
  return new PonderError('db-error', `The conversation database ${path} failed: ${detail}.`, {
    cause: error,
  });
}

/**
 * Runs `fn` in a `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so two writers
 * never deadlock on a read lock upgrade. While another connection holds the lock SQLite's busy
 * handler retries with growing sleeps (1, 2, 5, 10 … 100 ms) for up to the connection's
 * `busy_timeout`; after that the caller gets `db-busy`.
 */
export function writeTransaction<T>(db: Database.Database, path: string, fn: () => T): T {
  try {
    return db.transaction(fn).immediate();
  } catch (error) {
    throw toStoreError(error, path);
  }
}

/** Reads map SQLite failures the same way as writes. */
export function readQuery<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw toStoreError(error, path);
  }
}
