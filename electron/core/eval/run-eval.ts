import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChatMessage, Mode } from '../../shared';
import { PonderError } from '../errors';
import type { Engine } from '../llm';
import { formatCompliance } from '../reasoning/format-compliance';
import type { EvalData, EvalItem } from './load-eval-data';
import { rougeL } from './metrics/rouge-l';
import type { EvalAnswer, EvalMode } from './eval-types';

export const ANSWERS_FILE = 'answers.jsonl';

export interface EvalProgress {
  done: number;
  total: number;
  /** Estimated time left, from this run's pace; undefined before the first answer. */
  etaMs: number | undefined;
}

export interface RunEvalOptions {
  data: EvalData;
  modes: EvalMode[];
  outDir: string;
  /** Loads the model with these adapters (none for `base`); the runner disposes it. */
  createEngine(withAdapters: boolean): Promise<Engine>;
  /** Cosine similarity of two texts; absent when there is no embedding model. */
  similarity?: (answer: string, reference: string) => Promise<number>;
  temperature?: number;
  maxTokens?: number;
  seed?: number;
  signal?: AbortSignal;
  onProgress?: (progress: EvalProgress) => void;
}

/** Answers kept by an earlier, interrupted run for the same data file. */
export async function readSavedAnswers(outDir: string, data: EvalData): Promise<EvalAnswer[]> {
  const text = await readFile(join(outDir, ANSWERS_FILE), 'utf8').catch(() => '');
  const answers: EvalAnswer[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let answer: EvalAnswer;
    try {
      answer = JSON.parse(line) as EvalAnswer;
    } catch {
      continue; // A line cut by a crash mid-write: that item simply runs again.
    }
    if (answer.data !== data.sha256) {
      throw new PonderError(
        'invalid-input',
        `${outDir} holds results for another data file; nothing was changed.`,
        {
          hint: 'Choose another --out folder, or delete that one to start again.',
        },
      );
    }
    answers.push(answer);
  }
  return answers;
}

function engineMode(mode: EvalMode): Mode {
  return mode === 'reasoning' ? 'reasoning' : 'chat';
}

async function answerOne(
  engine: Engine,
  mode: EvalMode,
  item: EvalItem,
  options: RunEvalOptions,
  data: string,
): Promise<EvalAnswer | undefined> {
  const messages: ChatMessage[] = [{ role: 'user', text: item.prompt }];
  const sections: { type: 'reasoning' | 'solution' | 'text'; text: string }[] = [];
  let stats:
    { completionTokens: number; totalMs: number; stopReason: string; adapter: string } | undefined;
  for await (const event of engine.generate({
    mode: engineMode(mode),
    messages,
    temperature: options.temperature ?? 0,
    maxTokens: options.maxTokens ?? 1024,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.signal ? { signal: options.signal } : {}),
  })) {
    if (event.type === 'reasoning' || event.type === 'solution' || event.type === 'text') {
      const last = sections.at(-1);
      if (last?.type === event.type) last.text += event.text;
      else sections.push({ type: event.type, text: event.text });
    } else if (event.type === 'done') {
      stats = event.stats;
    } else if (event.type === 'error') {
      throw new PonderError(
        event.error.code,
        event.error.message,
        event.error.hint ? { hint: event.error.hint } : undefined,
      );
    }
  }
  if (!stats || stats.stopReason === 'cancelled') return undefined;
  const join = (type: string): string =>
    sections
      .filter((s) => s.type === type)
      .map((s) => s.text)
      .join('')
      .trim();
  const reasoning = join('reasoning');
  const solution = join('solution');
  // The engine has parsed the tags away; the scorer sees the sections in the order they came.
  const tagged = sections
    .map(({ type, text }) =>
      type === 'reasoning'
        ? `<start_working_out>${text}<end_working_out>`
        : type === 'solution'
          ? `<SOLUTION>${text}</SOLUTION>`
          : text,
    )
    .join('');
  const answer = solution || join('text') || reasoning;
  return {
    data,
    mode,
    index: item.index,
    adapter: stats.adapter,
    answer,
    reasoning,
    reasoningTokens: reasoning ? await engine.countTokens(reasoning) : 0,
    compliance: formatCompliance(tagged),
    rougeL: rougeL(item.reference, answer).fmeasure,
    similarity: options.similarity ? await options.similarity(answer, item.reference) : null,
    completionTokens: stats.completionTokens,
    ms: stats.totalMs,
    stopReason: stats.stopReason,
  };
}

/**
 * Answers every item in every mode, appending each answer to answers.jsonl as soon as it exists,
 * so an interrupted run resumes where it stopped. Returns all answers (saved and new); stops
 * early, keeping what it has, when the signal aborts.
 */
export async function runEval(
  options: RunEvalOptions,
): Promise<{ answers: EvalAnswer[]; complete: boolean }> {
  const { data, modes, outDir } = options;
  await mkdir(outDir, { recursive: true });
  const answers = await readSavedAnswers(outDir, data);
  const done = new Set(answers.map((answer) => `${answer.mode}:${answer.index}`));
  const total = modes.length * data.items.length;
  const started = Date.now();
  let newlyDone = 0;
  const report = (): void =>
    options.onProgress?.({
      done: done.size,
      total,
      etaMs: newlyDone ? ((Date.now() - started) / newlyDone) * (total - done.size) : undefined,
    });
  report();
  // The base model first and alone, then one engine with both adapters for the modes.
  const groups = [modes.filter((mode) => mode === 'base'), modes.filter((mode) => mode !== 'base')];
  for (const group of groups) {
    const todo = group.flatMap((mode) =>
      data.items
        .filter((item) => !done.has(`${mode}:${item.index}`))
        .map((item) => ({ mode, item })),
    );
    if (todo.length === 0) continue;
    if (options.signal?.aborted) return { answers, complete: false };
    const engine = await options.createEngine(group[0] !== 'base');
    try {
      for (const { mode, item } of todo) {
        if (options.signal?.aborted) return { answers, complete: false };
        const answer = await answerOne(engine, mode, item, options, data.sha256);
        if (!answer) return { answers, complete: false };
        await appendFile(join(outDir, ANSWERS_FILE), `${JSON.stringify(answer)}\n`);
        answers.push(answer);
        done.add(`${mode}:${item.index}`);
        newlyDone++;
        report();
      }
    } finally {
      await engine.dispose();
    }
  }
  return { answers, complete: true };
}
