import type { PlacedBlock, StructuredPage } from '../extract/structured-page';
import { estimateTokens } from './estimate-tokens';

/** A passage of a page: a contiguous slice of its text inside one section. */
export interface PagePassage {
  /** Exactly `page.text.slice(offset, offset + text.length)`. */
  text: string;
  offset: number;
  section: string;
  tokens: number;
}

export interface ChunkPageOptions {
  /** Largest passage in embedder word pieces (default 160, inside MiniLM's 256). */
  maxTokens?: number;
  /** Word pieces repeated from the end of one passage at the start of the next (default 32). */
  overlapTokens?: number;
}

/** A piece of text that is never split: a short block, a sentence, or a line of code. */
interface Unit {
  start: number;
  end: number;
  tokens: number;
}

/** Sentence ends: a stop, then space, then something that can start a sentence. */
const SENTENCE_END = /[.!?][)"'\]]*\s+(?=[\p{Lu}\p{N}"'([`-])/gu;

function splitRange(
  text: string,
  start: number,
  pattern: RegExp,
): { start: number; end: number }[] {
  const pieces: { start: number; end: number }[] = [];
  let from = 0;
  for (const match of text.matchAll(pattern)) {
    const end = (match.index ?? 0) + match[0].length;
    if (end > from) pieces.push({ start: start + from, end: start + end });
    from = end;
  }
  if (from < text.length) pieces.push({ start: start + from, end: start + text.length });
  return pieces;
}

/** Words, for the rare sentence or line longer than a whole passage. */
function wordUnits(pageText: string, start: number, end: number, maxTokens: number): Unit[] {
  const units: Unit[] = [];
  let unitStart = start;
  let tokens = 0;
  for (const word of splitRange(pageText.slice(start, end), start, /\s+/g)) {
    const wordTokens = estimateTokens(pageText.slice(word.start, word.end));
    if (tokens > 0 && tokens + wordTokens > maxTokens) {
      units.push({ start: unitStart, end: word.start, tokens });
      unitStart = word.start;
      tokens = 0;
    }
    tokens += wordTokens;
  }
  if (unitStart < end) units.push({ start: unitStart, end, tokens });
  return units;
}

/** A block as one unit when it fits, else its lines (code) or sentences (prose). */
function blockUnits(pageText: string, block: PlacedBlock, maxTokens: number): Unit[] {
  const start = block.offset;
  const end = block.offset + block.text.length;
  const tokens = estimateTokens(block.text);
  if (tokens <= maxTokens) return [{ start, end, tokens }];
  const pattern = block.kind === 'code' ? /\n/g : SENTENCE_END;
  return splitRange(block.text, start, pattern).flatMap((piece) => {
    const pieceTokens = estimateTokens(pageText.slice(piece.start, piece.end));
    return pieceTokens <= maxTokens
      ? [{ ...piece, tokens: pieceTokens }]
      : wordUnits(pageText, piece.start, piece.end, maxTokens);
  });
}

function trimmedPassage(
  pageText: string,
  start: number,
  end: number,
  section: string,
): PagePassage | undefined {
  let from = start;
  let to = end;
  while (from < to && /\s/.test(pageText[from] ?? '')) from++;
  while (to > from && /\s/.test(pageText[to - 1] ?? '')) to--;
  if (from >= to) return undefined;
  const text = pageText.slice(from, to);
  return { text, offset: from, section, tokens: estimateTokens(text) };
}

/**
 * Splits a page into passages of at most `maxTokens` word pieces that never cross a heading and
 * never break a sentence or a line of code, each overlapping the one before by about
 * `overlapTokens`, so a sentence at a boundary is whole in one of them. A defined term starts a
 * passage of its own (without overlap), since each entry of a definition list answers on its own.
 */
export function chunkPage(page: StructuredPage, options: ChunkPageOptions = {}): PagePassage[] {
  const maxTokens = options.maxTokens ?? 160;
  const overlapTokens = options.overlapTokens ?? 32;
  const passages: PagePassage[] = [];
  let units: Unit[] = [];
  let section = '';
  let tokens = 0;

  const emit = () => {
    const first = units[0];
    const last = units[units.length - 1];
    if (first && last) {
      const passage = trimmedPassage(page.text, first.start, last.end, section);
      if (passage) passages.push(passage);
    }
  };
  /** Ends the passage under way; the next one starts afresh, with no overlap. */
  const endPassage = () => {
    emit();
    units = [];
    tokens = 0;
  };

  for (const block of page.blocks) {
    if (block.kind === 'heading') {
      endPassage();
      section = block.section;
      continue;
    }
    section ||= block.section;
    if (block.kind === 'term') endPassage();
    for (const unit of blockUnits(page.text, block, maxTokens)) {
      if (tokens > 0 && tokens + unit.tokens > maxTokens) {
        emit();
        // Carry the last units over, as long as they stay within the overlap.
        const carried: Unit[] = [];
        let carriedTokens = 0;
        for (let i = units.length - 1; i >= 0; i--) {
          const previous = units[i];
          if (!previous || carriedTokens + previous.tokens > overlapTokens) break;
          carried.unshift(previous);
          carriedTokens += previous.tokens;
        }
        if (carriedTokens + unit.tokens > maxTokens) {
          carried.length = 0;
          carriedTokens = 0;
        }
        units = carried;
        tokens = carriedTokens;
      }
      units.push(unit);
      tokens += unit.tokens;
    }
  }
  emit();
  return passages;
}
