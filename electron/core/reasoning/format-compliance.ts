import { TAG_ORDER } from './reasoning-tags';

/**
 * How well a reply follows the reasoning format, scored like the GRPO training rewards:
 * `exact` when all four tags appear once each and in order, `partial` when some tags appear,
 * `none` when the reply has no tag at all.
 */
export type FormatCompliance = 'exact' | 'partial' | 'none';

function occurrences(text: string, tag: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(tag); at !== -1; at = text.indexOf(tag, at + tag.length)) {
    found.push(at);
  }
  return found;
}

export function formatCompliance(text: string): FormatCompliance {
  const positions = TAG_ORDER.map((tag) => occurrences(text, tag));
  const present = positions.filter((found) => found.length > 0).length;
  if (present === 0) return 'none';
  const once = positions.every((found) => found.length === 1);
  if (!once) return 'partial';
  const firsts = positions.map((found) => found[0] ?? -1);
  const inOrder = firsts.every((at, index) => index === 0 || at > (firsts[index - 1] ?? -1));
  return inOrder ? 'exact' : 'partial';
}
