import type { GgufSummary } from '../gguf/gguf-summary';
import type { GgufArray, GgufValue } from '../gguf/gguf-types';

/** Arrays longer than this (vocabularies, merges) are shown by their length and first items. */
const ARRAY_PREVIEW = 8;

function jsonValue(value: GgufValue): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return value;
  const array = value as GgufArray;
  if (array.items.length <= ARRAY_PREVIEW) return array.items.map(jsonValue);
  return {
    itemType: array.itemType,
    length: array.items.length,
    first: array.items.slice(0, ARRAY_PREVIEW).map(jsonValue),
  };
}

/** A JSON-safe view of a summary: 64-bit integers as strings, long arrays abbreviated. */
export function summaryToJson(summary: GgufSummary): Record<string, unknown> {
  const metadata = Object.fromEntries(
    Object.entries(summary.metadata).map(([key, entry]) => [key, jsonValue(entry.value)]),
  );
  return { ...summary, metadata };
}
