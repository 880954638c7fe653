import { REASONING_TAGS, TAG_ORDER } from './reasoning-tags';
import type { ReasoningTag } from './reasoning-tags';

/** Where a piece of the reply belongs: the working out, the answer, or anything outside tags. */
export type ReasoningSection = 'reasoning' | 'solution' | 'text';

export interface ReasoningSegment {
  type: ReasoningSection;
  text: string;
}

export interface ReasoningParserOptions {
  /**
   * The section the reply starts in: `reasoning` when the prompt itself already opened
   * `<start_working_out>` (as some GRPO chat templates do). @default 'text'
   */
  initialSection?: ReasoningSection;
}

/** Longest tag; a buffer tail shorter than this may still become a tag. */
const LONGEST_TAG = Math.max(...TAG_ORDER.map((tag) => tag.length));
const SECTION_SEPARATOR = '\n\n';

function firstTag(text: string): { index: number; tag: ReasoningTag } | undefined {
  let best: { index: number; tag: ReasoningTag } | undefined;
  for (const tag of TAG_ORDER) {
    const index = text.indexOf(tag);
    if (index !== -1 && (best === undefined || index < best.index)) best = { index, tag };
  }
  return best;
}

/** Length of the longest tail of `text` that is the start of a tag (and so must wait for more). */
function possibleTagPrefixLength(text: string): number {
  const from = Math.max(0, text.length - LONGEST_TAG + 1);
  for (let start = text.indexOf('<', from); start !== -1; start = text.indexOf('<', start + 1)) {
    const tail = text.slice(start);
    if (TAG_ORDER.some((tag) => tag.length > tail.length && tag.startsWith(tail))) {
      return tail.length;
    }
  }
  return 0;
}

/**
 * Splits a reply that streams in as arbitrary chunks into reasoning, solution and plain text.
 *
 * Whatever the chunking, the same reply gives the same text per section: only a possible tag
 * prefix is held back between chunks. Whitespace that only pads a section (after its opening tag,
 * before its closing tag, between tags) is dropped; a section of a kind that already had content
 * (a second working-out block) starts with a blank line. A closing tag that closes nothing is
 * dropped, an opening tag implicitly closes the section it interrupts, and `end()` flushes a
 * section whose closing tag never came.
 */
export class ReasoningParser {
  private current: ReasoningSection;
  private buffer = '';
  private currentHasContent = false;
  private pendingWhitespace = '';
  private readonly sectionsWithContent = new Set<ReasoningSection>();

  constructor(options: ReasoningParserOptions = {}) {
    this.current = options.initialSection ?? 'text';
  }

  /** The section the next text would land in. */
  get section(): ReasoningSection {
    return this.current;
  }

  push(chunk: string): ReasoningSegment[] {
    const out: ReasoningSegment[] = [];
    this.buffer += chunk;
    this.drain(out, false);
    return out;
  }

  /** Flushes everything held back; the parser can then start a new reply. */
  end(): ReasoningSegment[] {
    const out: ReasoningSegment[] = [];
    this.drain(out, true);
    this.pendingWhitespace = '';
    return out;
  }

  private drain(out: ReasoningSegment[], final: boolean): void {
    for (let match = firstTag(this.buffer); match; match = firstTag(this.buffer)) {
      this.emit(out, this.buffer.slice(0, match.index));
      this.buffer = this.buffer.slice(match.index + match.tag.length);
      this.onTag(match.tag);
    }
    const keep = final ? 0 : possibleTagPrefixLength(this.buffer);
    this.emit(out, this.buffer.slice(0, this.buffer.length - keep));
    this.buffer = this.buffer.slice(this.buffer.length - keep);
  }

  private onTag(tag: ReasoningTag): void {
    switch (tag) {
      case REASONING_TAGS.reasoningStart:
        this.enter('reasoning');
        break;
      case REASONING_TAGS.solutionStart:
        this.enter('solution');
        break;
      case REASONING_TAGS.reasoningEnd:
        if (this.current === 'reasoning') this.enter('text');
        break;
      case REASONING_TAGS.solutionEnd:
        if (this.current === 'solution') this.enter('text');
        break;
    }
  }

  private enter(section: ReasoningSection): void {
    if (section === this.current) return;
    this.current = section;
    this.currentHasContent = false;
    this.pendingWhitespace = '';
  }

  private emit(out: ReasoningSegment[], text: string): void {
    const body = this.currentHasContent ? text : text.trimStart();
    if (body === '') return;
    const core = body.trimEnd();
    const trailing = body.slice(core.length);
    if (core === '') {
      this.pendingWhitespace += trailing;
      return;
    }
    let piece = this.pendingWhitespace + core;
    if (!this.currentHasContent && this.sectionsWithContent.has(this.current)) {
      piece = SECTION_SEPARATOR + piece;
    }
    this.currentHasContent = true;
    this.sectionsWithContent.add(this.current);
    this.pendingWhitespace = trailing;
    const last = out[out.length - 1];
    if (last && last.type === this.current) last.text += piece;
    else out.push({ type: this.current, text: piece });
  }
}

/** The whole reply at once, each section's text joined (for stored messages and scoring). */
export function parseReasoning(
  text: string,
  options?: ReasoningParserOptions,
): Record<ReasoningSection, string> {
  const parser = new ReasoningParser(options);
  const result: Record<ReasoningSection, string> = { reasoning: '', solution: '', text: '' };
  for (const segment of [...parser.push(text), ...parser.end()])
    result[segment.type] += segment.text;
  return result;
}
