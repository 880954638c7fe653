export interface TextChunk {
  text: string;
  /** Character offset of the chunk in the text it came from. */
  offset: number;
}

export interface ChunkOptions {
  /** Longest chunk in characters (default 800). */
  maxChars?: number;
  /** Characters repeated from the end of one chunk at the start of the next (default 100). */
  overlap?: number;
}

/** Break points, best first: paragraph, line, sentence end, clause, space. */
const BREAKS = ['\n\n', '\n', '. ', '? ', '! ', '; ', ', ', ' '];

function breakBefore(text: string, start: number, end: number): number {
  const minimum = start + Math.floor((end - start) / 2);
  for (const mark of BREAKS) {
    const at = text.lastIndexOf(mark, end - mark.length);
    if (at >= minimum) return at + mark.length;
  }
  return end;
}

/**
 * Splits text into overlapping chunks of at most `maxChars`, ending at paragraph or sentence
 * boundaries where one is near, each with its offset so a source can point back into its page.
 */
export function chunkText(text: string, options: ChunkOptions = {}): TextChunk[] {
  const maxChars = options.maxChars ?? 800;
  const overlap = Math.min(options.overlap ?? 100, Math.floor(maxChars / 2));
  const chunks: TextChunk[] = [];
  let start = 0;
  while (start < text.length) {
    while (start < text.length && /\s/.test(text[start] ?? '')) start++;
    if (start >= text.length) break;
    let end = Math.min(start + maxChars, text.length);
    if (end < text.length) end = breakBefore(text, start, end);
    const piece = text.slice(start, end).trim();
    if (piece) chunks.push({ text: piece, offset: start });
    if (end >= text.length) break;
    // Restart a little before the end, at a word boundary, so a sentence cut in two is whole in one chunk.
    let next = Math.max(end - overlap, start + 1);
    const space = text.indexOf(' ', next);
    if (space !== -1 && space < end) next = space + 1;
    start = next;
  }
  return chunks;
}
