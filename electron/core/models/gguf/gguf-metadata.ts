import type { GgufArray, GgufMetadata } from './gguf-types';

/** The string at `key`, or undefined when absent or of another type. */
export function metadataString(metadata: GgufMetadata, key: string): string | undefined {
  const value = metadata[key]?.value;
  return typeof value === 'string' ? value : undefined;
}

/** The number at `key` (64-bit integers converted), or undefined when absent or not numeric. */
export function metadataNumber(metadata: GgufMetadata, key: string): number | undefined {
  const value = metadata[key]?.value;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}

export function metadataArray(metadata: GgufMetadata, key: string): GgufArray | undefined {
  const entry = metadata[key];
  return entry?.type === 'array' ? (entry.value as GgufArray) : undefined;
}
