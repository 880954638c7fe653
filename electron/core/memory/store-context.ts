import type Database from 'better-sqlite3';

/** What the store's parts share: one connection and the file it belongs to (for error messages). */
export interface StoreContext {
  db: Database.Database;
  path: string;
  now: () => number;
}
