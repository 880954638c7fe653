import type { LlamaModel, Token } from 'node-llama-cpp';

/** A multi-byte character split over tokens shows as U+FFFD until its last byte arrives. */
const INCOMPLETE = '\uFFFD';
/** UTF-8 characters are at most 4 bytes, so a byte-level vocabulary completes one within 4 tokens. */
const MAX_PENDING_TOKENS = 4;
/** Earlier tokens passed to the detokenizer so spacing comes out as in one piece. */
const CONTEXT_TOKENS = 8;

/**
 * Turns generated tokens into text that is safe to show: whole characters only, and nothing of a
 * stop text (the model spelling `<|im_end|>` out) reaches the reply.
 */
export class TokenTextStream {
  private pending: Token[] = [];
  private recent: Token[] = [];
  private held = '';

  constructor(
    private readonly model: LlamaModel,
    private readonly stopTexts: readonly string[],
  ) {}

  push(token: Token): { text: string; stopped: boolean } {
    this.pending.push(token);
    const piece = this.model.detokenize(this.pending, false, this.recent);
    if (piece.endsWith(INCOMPLETE) && this.pending.length < MAX_PENDING_TOKENS) {
      return { text: '', stopped: false };
    }
    this.recent = [...this.recent, ...this.pending].slice(-CONTEXT_TOKENS);
    this.pending = [];
    return this.release(this.held + piece);
  }

  /** Whatever was held back, at the end of the reply. */
  flush(): string {
    const rest =
      this.pending.length > 0 ? this.model.detokenize(this.pending, false, this.recent) : '';
    const text = this.held + rest;
    this.pending = [];
    this.held = '';
    return text;
  }

  private release(text: string): { text: string; stopped: boolean } {
    let stopAt = -1;
    for (const stop of this.stopTexts) {
      const at = text.indexOf(stop);
      if (at !== -1 && (stopAt === -1 || at < stopAt)) stopAt = at;
    }
    if (stopAt !== -1) {
      this.held = '';
      return { text: text.slice(0, stopAt), stopped: true };
    }
    const keep = this.possibleStopPrefix(text);
    this.held = text.slice(text.length - keep);
    return { text: text.slice(0, text.length - keep), stopped: false };
  }

  private possibleStopPrefix(text: string): number {
    let longest = 0;
    for (const stop of this.stopTexts) {
      for (let length = Math.min(stop.length - 1, text.length); length > longest; length--) {
        if (text.endsWith(stop.slice(0, length))) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  }
}
