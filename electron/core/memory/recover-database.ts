import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { plainTables, quoteIdentifier, salvageRows, tableColumns } from './salvage-rows';

export interface RecoveredDatabase {
  /** Where the damaged file now lives, byte for byte as it was; it is never deleted. */
  movedTo: string;
  /** What was copied into the new database. */
  conversations: number;
  messages: number;
  /** How many damaged stretches were skipped while reading. */
  gaps: number;
}

function stamp(): string {
  return new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** A free name beside `path` for its damaged file: `<path>.damaged-<time>`. */
export function damagedPathFor(path: string): string {
  let keepAt = `${path}.damaged-${stamp()}`;
  for (let n = 2; existsSync(keepAt); n += 1) keepAt = `${path}.damaged-${stamp()}-${n}`;
  return keepAt;
}

/**
 * Moves the damaged file (and its WAL, which may hold the newest pages) aside, to `keepAt` when that
 * name is still free; nothing is deleted. @returns where it went.
 */
export function moveDamagedAside(path: string, keepAt?: string): string {
  const movedTo = keepAt !== undefined && !existsSync(keepAt) ? keepAt : damagedPathFor(path);
  renameSync(path, movedTo);
  for (const suffix of ['-wal', '-shm', '-journal']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, movedTo + suffix);
  }
  return movedTo;
}

/**
 * Copies every row SQLite can still read from the damaged file at `damagedPath` into `target`, an
 * open, migrated, empty Ponder database. It reads a scratch copy, so the damaged file itself stays
 * exactly as it was. Columns are matched by name, so an older schema's rows fit the new one.
 * Messages whose conversation row was lost are kept under a "Recovered conversation".
 */
export function salvageInto(damagedPath: string, target: Database.Database): RecoveredDatabase {
  const scratch = `${damagedPath}.reading`;
  copyFileSync(damagedPath, scratch);
  if (existsSync(`${damagedPath}-wal`)) copyFileSync(`${damagedPath}-wal`, `${scratch}-wal`);
  let gaps = 0;
  try {
    let source: Database.Database | undefined;
    try {
      source = new Database(scratch, { fileMustExist: true });
    } catch {
      source = undefined;
    }
    if (source) {
      try {
        gaps = copyTables(source, target);
      } finally {
        source.close();
      }
    }
  } finally {
    for (const suffix of ['', '-wal', '-shm', '-journal'])
      rmSync(scratch + suffix, { force: true });
  }
  const count = (table: string): number =>
    target.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  return {
    movedTo: damagedPath,
    conversations: count('conversations'),
    messages: count('messages'),
    gaps,
  };
}

function copyTables(source: Database.Database, target: Database.Database): number {
  const readable = new Set(plainTables(source));
  let gaps = 0;
  // Rows arrive in any order and some parents may be lost: links are checked once all are in.
  target.pragma('foreign_keys = OFF');
  try {
    target.transaction(() => {
      for (const table of plainTables(target)) {
        if (!readable.has(table)) continue;
        const sourceColumns = new Set(tableColumns(source, table));
        const columns = tableColumns(target, table).filter((column) => sourceColumns.has(column));
        if (columns.length === 0) continue;
        const insert = target.prepare(
          `INSERT OR IGNORE INTO ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(', ')})
           VALUES (${columns.map(() => '?').join(', ')})`,
        );
        gaps += salvageRows(source, table, columns, (values) => insert.run(...values)).gaps;
      }
      target
        .prepare(
          `INSERT INTO conversations (id, title, created, updated)
           SELECT conversation_id, 'Recovered conversation', min(created), max(created)
           FROM messages WHERE conversation_id NOT IN (SELECT id FROM conversations)
           GROUP BY conversation_id`,
        )
        .run();
      // Whatever still points nowhere (a row of a table that links to a lost one) is dropped.
      const broken = target.pragma('foreign_key_check') as {
        table: string;
        rowid: number | null;
      }[];
      for (const row of broken) {
        if (row.rowid === null) continue;
        target.prepare(`DELETE FROM ${quoteIdentifier(row.table)} WHERE rowid = ?`).run(row.rowid);
      }
    })();
  } finally {
    target.pragma('foreign_keys = ON');
  }
  return gaps;
}
