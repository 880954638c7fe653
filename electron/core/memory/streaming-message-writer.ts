import type { AppError, MessageStatus, Mode, Source } from '../../shared';
import { PonderError } from '../errors';
import { insertMessage } from './insert-message';
import type { AnswerPart, MessageStats, PartLengths } from './memory-types';
import { writeTransaction } from './sqlite-errors';
import type { StoreContext } from './store-context';

export interface StartStreamingInput {
  conversationId: string;
  mode: Mode;
  /** `sft`, `grpo` or `base`; absent until the model is loaded (see `describe`). */
  adapter?: string;
  model?: string;
  sources?: Source[];
}

export interface StreamingWriterOptions {
  /** Longest time new text waits in memory before it is committed. @default 250 */
  flushIntervalMs?: number;
  /** Called after each commit with the lengths that are now on disk. */
  onFlush?: (acknowledged: PartLengths) => void;
}

export interface StreamingOutcome {
  status: Exclude<MessageStatus, 'streaming'>;
  /** GenerationStats fits here as it is. */
  stats?: Partial<MessageStats>;
  error?: AppError;
  /** Replaces parts of the answer in the final save (e.g. Search's answer with foreign links removed). */
  final?: Partial<Record<AnswerPart, string>>;
}

/**
 * Saves one answer while it is generated. Text is committed at most `flushIntervalMs` after it
 * arrives, so a crash loses at most that much; `acknowledged()` tells how much is safely on disk.
 */
export interface StreamingMessageWriter {
  readonly messageId: string;
  readonly conversationId: string;
  /** Records the mode, adapter and model that answer, once the model is loaded. */
  describe(answer: { mode: Mode; adapter: string; model: string }): void;
  append(part: Partial<Record<AnswerPart, string>>): void;
  setSources(sources: Source[]): void;
  /** Commits whatever is pending now. A failed save is kept in memory and retried later. */
  flush(): void;
  /** Lengths (UTF-16 code units) of each part as last committed. */
  acknowledged(): PartLengths;
  /** The error of the latest save when it failed; undefined once a save succeeds. */
  readonly lastError: unknown;
  /** Commits the rest with the final status; the writer is closed afterwards. */
  finish(outcome: StreamingOutcome): void;
  readonly finished: boolean;
}

export const DEFAULT_FLUSH_INTERVAL_MS = 250;

export function startStreamingMessage(
  ctx: StoreContext,
  input: StartStreamingInput,
  options: StreamingWriterOptions = {},
): StreamingMessageWriter {
  const interval = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
  const { db, path } = ctx;
  const record = writeTransaction(db, path, () =>
    insertMessage(ctx, {
      conversationId: input.conversationId,
      role: 'assistant',
      text: '',
      mode: input.mode,
      adapter: input.adapter,
      model: input.model,
      sources: input.sources ?? null,
      status: 'streaming',
    }),
  );

  const parts: Record<AnswerPart, string> = { text: '', reasoning: '', solution: '' };
  let sources = input.sources ?? null;
  let acked: PartLengths = { text: 0, reasoning: 0, solution: 0 };
  let dirty = false;
  let lastFlushAt = ctx.now();
  let timer: NodeJS.Timeout | undefined;
  let lastError: unknown;
  let finished = false;

  const saveProgress = db.prepare(
    `UPDATE messages SET text = ?, reasoning = ?, solution = ?, sources = ?, updated = ?
     WHERE id = ? AND status = 'streaming'`,
  );

  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!dirty || finished) return;
    const snapshot = { ...parts };
    try {
      writeTransaction(db, path, () =>
        saveProgress.run(
          snapshot.text,
          snapshot.reasoning,
          snapshot.solution,
          sources === null ? null : JSON.stringify(sources),
          ctx.now(),
          record.id,
        ),
      );
    } catch (error) {
      // Keep the text and try again: a busy database must not cost the person their answer.
      lastError = error;
      schedule();
      return;
    }
    lastError = undefined;
    dirty = false;
    lastFlushAt = ctx.now();
    acked = {
      text: snapshot.text.length,
      reasoning: snapshot.reasoning.length,
      solution: snapshot.solution.length,
    };
    options.onFlush?.(acked);
  };

  function schedule(): void {
    if (timer || finished) return;
    const wait = Math.max(0, interval - (ctx.now() - lastFlushAt));
    timer = setTimeout(flush, wait);
  }

  const ensureOpen = () => {
    if (finished) {
      throw new PonderError('internal', 'This answer was already saved as finished.');
    }
  };

  return {
    messageId: record.id,
    conversationId: record.conversationId,
    describe(answer) {
      ensureOpen();
      writeTransaction(db, path, () =>
        db
          .prepare('UPDATE messages SET mode = ?, adapter = ?, model = ?, updated = ? WHERE id = ?')
          .run(answer.mode, answer.adapter, answer.model, ctx.now(), record.id),
      );
    },
    append(part) {
      ensureOpen();
      for (const key of ['reasoning', 'solution', 'text'] as const) {
        const chunk = part[key];
        if (chunk) {
          parts[key] += chunk;
          dirty = true;
        }
      }
      if (!dirty) return;
      if (ctx.now() - lastFlushAt >= interval) flush();
      else schedule();
    },
    setSources(next) {
      ensureOpen();
      sources = next;
      dirty = true;
      schedule();
    },
    flush,
    acknowledged: () => acked,
    get lastError() {
      return lastError;
    },
    finish(outcome) {
      ensureOpen();
      if (timer) clearTimeout(timer);
      timer = undefined;
      const stats = outcome.stats ?? {};
      Object.assign(parts, outcome.final);
      writeTransaction(db, path, () =>
        db
          .prepare(
            `UPDATE messages SET text = ?, reasoning = ?, solution = ?, sources = ?, status = ?,
               error = ?, prompt_tokens = ?, completion_tokens = ?, ttft_ms = ?,
               tokens_per_second = ?, total_ms = ?, updated = ?
             WHERE id = ?`,
          )
          .run(
            parts.text,
            parts.reasoning,
            parts.solution,
            sources === null ? null : JSON.stringify(sources),
            outcome.status,
            outcome.error ? JSON.stringify(outcome.error) : null,
            stats.promptTokens ?? null,
            stats.completionTokens ?? null,
            stats.timeToFirstTokenMs ?? null,
            stats.tokensPerSecond ?? null,
            stats.totalMs ?? null,
            ctx.now(),
            record.id,
          ),
      );
      finished = true;
      dirty = false;
      lastError = undefined;
      acked = {
        text: parts.text.length,
        reasoning: parts.reasoning.length,
        solution: parts.solution.length,
      };
      options.onFlush?.(acked);
    },
    get finished() {
      return finished;
    },
  };
}
