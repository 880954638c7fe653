/**
 * Child process that opens an old database and stops for good just before migration step
 * HANG_AT runs (earlier steps already ran inside the open transaction), waiting to be killed.
 * Usage: node --import tsx migrate-and-hang.ts DB_PATH HANG_AT
 */
import { writeSync } from 'node:fs';
import { openMemoryStore } from '../index';

const [path, hangArg] = process.argv.slice(2);
if (!path) throw new Error('usage: migrate-and-hang.ts DB_PATH HANG_AT');
const hangAt = Number(hangArg);
openMemoryStore({
  path,
  onMigrationStep: (migration) => {
    if (migration.version !== hangAt) return;
    writeSync(1, `migrating ${migration.version}\n`);
    for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
  },
});
writeSync(1, 'finished\n');
