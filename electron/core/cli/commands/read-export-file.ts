import { readFileSync, statSync } from 'node:fs';
import { constants } from 'node:buffer';
import { getHeapStatistics } from 'node:v8';
import { PonderError } from '../../errors';

/**
 * The largest export Ponder reads: the whole file becomes one string before it is parsed (a
 * JavaScript string holds about 512 MB at most), and the string, the parsed conversations and
 * their checked copy together take about five times the file's size in memory.
 */
export const MAX_IMPORT_BYTES = Math.min(
  constants.MAX_STRING_LENGTH,
  Math.floor(getHeapStatistics().heap_size_limit / 5),
);

const HINT = 'Import a file written by `ponder history export --format json`.';

const megabytes = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MB`;

/**
 * Reads and parses a JSON export, refusing before reading anything a file too large to be read in
 * one piece, with that reason, rather than failing half a gigabyte later with "is not JSON".
 */
export function readExportFile(file: string, maxBytes: number = MAX_IMPORT_BYTES): unknown {
  let size: number;
  try {
    const stats = statSync(file);
    if (!stats.isFile())
      throw new PonderError('invalid-input', `${file} is not a file.`, { hint: HINT });
    size = stats.size;
  } catch (error) {
    if (error instanceof PonderError) throw error;
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new PonderError('invalid-input', missing ? `No file ${file}.` : `Cannot read ${file}.`, {
      hint: HINT,
      cause: error,
    });
  }
  if (size > maxBytes) {
    throw new PonderError(
      'invalid-input',
      `${file} is ${megabytes(size)}, more than the ${megabytes(maxBytes)} Ponder can import at once (an export is read into memory whole). Nothing was imported.`,
      {
        hint: 'Export and import conversations in smaller groups (`ponder history export ID --format json`).',
      },
    );
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PonderError('invalid-input', `${file} is not JSON.`, { hint: HINT, cause: error });
  }
}
