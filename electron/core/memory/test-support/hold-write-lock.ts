/**
 * Child process that takes the write lock of a database, holds it, then lets go — another program
 * writing at the same moment. Usage: node --import tsx hold-write-lock.ts DB_PATH HOLD_MS
 */
import { writeSync } from 'node:fs';
import Database from 'better-sqlite3';

const [path, holdArg] = process.argv.slice(2);
if (!path) throw new Error('usage: hold-write-lock.ts DB_PATH HOLD_MS');
const db = new Database(path);
db.exec('BEGIN IMMEDIATE');
writeSync(1, 'locked\n');
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(holdArg ?? 500));
db.exec('COMMIT');
db.close();
writeSync(1, 'released\n');
