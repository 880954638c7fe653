import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { PonderError } from '../errors';
import { escapeControlCharacters } from '../security';

/** One evaluation question and the answer it should get. */
export interface EvalItem {
  /** 0-based line of the item among the data file's non-empty lines. */
  index: number;
  prompt: string;
  reference: string;
}

export interface EvalData {
  items: EvalItem[];
  /** sha256 of the file, so results of another file are never resumed into these. */
  sha256: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bad(path: string, line: number, detail: string): PonderError {
  return new PonderError(
    'invalid-input',
    `${path} line ${line}: ${escapeControlCharacters(detail)}`,
    {
      hint: 'Each line must be {"instruction", "input", "output"} (Alpaca) or {"messages": [...]} with a last assistant message.',
    },
  );
}

/** Alpaca: the prompt is the instruction, then the input on its own paragraph when there is one. */
function fromAlpaca(
  record: Record<string, unknown>,
): { prompt: string; reference: string } | undefined {
  const { instruction, input, output } = record;
  if (typeof instruction !== 'string' || typeof output !== 'string') return undefined;
  const extra = typeof input === 'string' && input.trim() ? `\n\n${input}` : '';
  return { prompt: `${instruction}${extra}`, reference: output };
}

/** Chat (TRL/OpenAI style): the last user message before the last assistant message. */
function fromChat(
  record: Record<string, unknown>,
): { prompt: string; reference: string } | undefined {
  const { messages } = record;
  if (!Array.isArray(messages)) return undefined;
  const turns = messages.filter(isRecord);
  const last = turns.at(-1);
  const user = turns.slice(0, -1).findLast((turn) => turn.role === 'user');
  if (last?.role !== 'assistant' || typeof last.content !== 'string') return undefined;
  if (typeof user?.content !== 'string') return undefined;
  return { prompt: user.content, reference: last.content };
}

/** Reads Alpaca-style or chat JSONL; one clear line names the first bad line. */
export async function loadEvalData(path: string): Promise<EvalData> {
  const bytes = await readFile(path).catch(() => {
    throw new PonderError('not-found', `Evaluation data not found: ${path}`, {
      hint: 'Pass a JSONL file with --data.',
    });
  });
  const items: EvalItem[] = [];
  bytes
    .toString('utf8')
    .split('\n')
    .forEach((text, lineIndex) => {
      if (!text.trim()) return;
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch {
        throw bad(path, lineIndex + 1, 'not JSON');
      }
      if (!isRecord(record)) throw bad(path, lineIndex + 1, 'not a JSON object');
      const item = fromAlpaca(record) ?? fromChat(record);
      if (!item)
        throw bad(
          path,
          lineIndex + 1,
          'neither an Alpaca record nor a chat with a final assistant answer',
        );
      items.push({ index: items.length, ...item });
    });
  if (items.length === 0)
    throw new PonderError('invalid-input', `${path} has no evaluation items.`, {
      hint: 'Add one JSON object per line.',
    });
  return { items, sha256: createHash('sha256').update(bytes).digest('hex') };
}
