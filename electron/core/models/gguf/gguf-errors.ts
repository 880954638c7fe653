import { PonderError } from '../../errors';
import { escapeControlCharacters } from '../../security';

/** The file does not exist. */
export function modelMissing(path: string): PonderError {
  return new PonderError('model-missing', `Model file not found: ${path}`, {
    hint: 'Check the path, or get a model with `ponder models download`.',
  });
}

/** The file is not a GGUF file at all (wrong magic, a folder, unreadable). */
export function notGguf(path: string, detail: string): PonderError {
  return new PonderError(
    'model-invalid',
    `${path} is not a GGUF file (${escapeControlCharacters(detail)})`,
    {
      hint: 'Ponder loads llama.cpp GGUF models (.gguf); download one with `ponder models download`.',
    },
  );
}

/** The file ends before something its header promises. */
export function truncated(path: string, detail: string): PonderError {
  return new PonderError(
    'model-invalid',
    `${path} is truncated: ${escapeControlCharacters(detail)}`,
    {
      hint: 'The file is incomplete; download or copy it again.',
    },
  );
}

/** The header contradicts itself or the file. */
export function corruptHeader(path: string, detail: string): PonderError {
  return new PonderError(
    'model-invalid',
    `${path} has a corrupt header: ${escapeControlCharacters(detail)}`,
    {
      hint: 'The file is damaged or was not written by a GGUF tool; download it again.',
    },
  );
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}
