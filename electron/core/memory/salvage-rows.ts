import type Database from 'better-sqlite3';

/** Rowids are 64-bit; past this the probe steps stop being exact in a JS number, and give up. */
const LAST_PROBE = Number.MAX_SAFE_INTEGER / 2;

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

export interface TableSalvage {
  /** Rows read and handed to `visit`. */
  rows: number;
  /** How many times reading hit a damaged part and skipped ahead. */
  gaps: number;
}

/**
 * Reads every row of `table` SQLite can still read, in rowid order, skipping what it cannot: when
 * a read fails (a damaged page, a broken overflow chain), reading starts again past the last good
 * rowid, one rowid further, then two, four… until it gets past the damage. One bad page costs the
 * rows on it, not the table.
 */
export function salvageRows(
  source: Database.Database,
  table: string,
  columns: string[],
  visit: (values: unknown[]) => void,
): TableSalvage {
  const list = columns.map(quote).join(', ');
  const after = source
    .prepare(`SELECT rowid, ${list} FROM ${quote(table)} WHERE rowid > ? ORDER BY rowid`)
    .raw(true);
  let from = -Number.MAX_SAFE_INTEGER;
  let step = 1;
  let gaps = 0;
  let rows = 0;
  for (;;) {
    let readAny = false;
    try {
      for (const row of after.iterate(from) as Iterable<unknown[]>) {
        from = row[0] as number;
        readAny = true;
        visit(row.slice(1));
        rows += 1;
      }
      return { rows, gaps };
    } catch {
      if (readAny || gaps === 0) gaps += 1;
      // Past a row that read well the damage is near: skip one rowid. Still failing: skip further.
      step = readAny ? 1 : step * 2;
      // Ponder's rowids start at 1: damage before any row was read is probed from there.
      if (!readAny && rows === 0 && from < 0) {
        from = 0;
        step = 1;
      }
      from += step;
      if (from > LAST_PROBE) return { rows, gaps };
    }
  }
}

/** The columns of `table` in `db`, or none when its schema cannot be read. */
export function tableColumns(db: Database.Database, table: string): string[] {
  try {
    const rows = db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table);
    return rows as string[];
  } catch {
    return [];
  }
}

/** Ordinary tables (not SQLite's own, not full-text index tables), in the order they were made. */
export function plainTables(db: Database.Database): string[] {
  try {
    const tables = db
      .prepare(
        `SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
         ORDER BY rowid`,
      )
      .all() as { name: string; sql: string | null }[];
    const virtual = tables
      .filter((table) => /^\s*CREATE\s+VIRTUAL\s+TABLE/i.test(table.sql ?? ''))
      .map((table) => table.name);
    return tables
      .map((table) => table.name)
      .filter(
        (name) => !virtual.includes(name) && !virtual.some((owner) => name.startsWith(`${owner}_`)),
      );
  } catch {
    return [];
  }
}

export { quote as quoteIdentifier };
