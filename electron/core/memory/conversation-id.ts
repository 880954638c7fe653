/**
 * The ids the HTTP API accepts for conversations and messages (electron/core/server/schemas.ts):
 * what the store itself makes (UUIDs) fits; anything else cannot be opened or deleted there.
 */
export const ID_PATTERN = /^[A-Za-z0-9_-]+$/;
export const MAX_ID_CHARS = 128;

export function isUsableId(id: string): boolean {
  return id.length >= 1 && id.length <= MAX_ID_CHARS && ID_PATTERN.test(id);
}
