/** Longest title taken from a first question, in characters. */
export const TITLE_MAX_CHARS = 60;

/**
 * A conversation's title from its first question: one line, trimmed, cut at a word boundary when
 * longer than {@link TITLE_MAX_CHARS} and marked with an ellipsis.
 */
export function deriveTitle(question: string, maxChars = TITLE_MAX_CHARS): string {
  const line = question.replace(/\s+/g, ' ').trim();
  // Code points, so an emoji is never cut in half.
  const chars = Array.from(line);
  if (chars.length <= maxChars) return line;
  const cut = chars.slice(0, maxChars - 1).join('');
  const lastSpace = cut.lastIndexOf(' ');
  const head = lastSpace >= maxChars / 2 ? cut.slice(0, lastSpace) : cut;
  return `${head.replace(/[\s,;:.-]+$/, '')}…`;
}
