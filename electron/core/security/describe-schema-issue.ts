import type { z } from 'zod';
import { escapeControlCharacters } from './control-characters';

/** Longest description a refusal quotes, so a hostile payload cannot grow the message it gets back. */
export const MAX_ISSUE_CHARS = 300;
const KEYS_NAMED = 3;
const KEY_CHARS = 40;

const cap = (text: string, limit: number): string =>
  text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;

/**
 * One short line for a schema refusal: zod lists every unrecognised key and copies arbitrary key
 * names into paths, so a 60,000-key object would otherwise describe itself key by key. Names the
 * first few keys, counts the rest, escapes control characters and caps the length.
 */
export function describeSchemaIssue(issue: z.core.$ZodIssue | undefined): {
  path: string;
  message: string;
} {
  if (issue === undefined) return { path: '', message: 'invalid' };
  const path = cap(escapeControlCharacters(issue.path.map(String).join('.')), 100);
  if (issue.code === 'unrecognized_keys') {
    const named = issue.keys
      .slice(0, KEYS_NAMED)
      .map((key) => cap(JSON.stringify(key), KEY_CHARS))
      .join(', ');
    const rest = issue.keys.length - KEYS_NAMED;
    const more = rest > 0 ? ` and ${rest.toLocaleString('en')} more` : '';
    const noun = issue.keys.length === 1 ? 'key' : 'keys';
    return { path, message: `unrecognized ${noun} ${named}${more}` };
  }
  return { path, message: cap(escapeControlCharacters(issue.message), MAX_ISSUE_CHARS) };
}
