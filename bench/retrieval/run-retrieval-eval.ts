import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AnswerEvent, Source } from '../../electron/shared';
import { createSearchPipeline } from '../../electron/core/rag';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { loadCorpus } from './doc-corpus';
import { planResults, type RetrievalQuestion } from './search-plan';

export const QUESTIONS_FILE = new URL('./questions.json', import.meta.url);

export interface QuestionOutcome {
  id: string;
  collection: string;
  /** Where the search engine put the answer page (1-based). */
  answerRank: number;
  /** The answer page's source number, or null when it is not among the sources. */
  sourceNumber: number | null;
  /** The answer phrase is inside the text given to the model. */
  passageHit: boolean;
  /** Question to `sources` event. */
  wallMs: number;
  /** CPU time of the whole process (all threads) over the same span. */
  cpuMs: number;
  /** Longest the event loop was held up during the question. */
  maxLoopBlockMs: number;
  pagesRead: number | null;
  unread: { url: string; reason: string }[];
}

export interface RetrievalSummary {
  questions: number;
  pageRecallAt5: number;
  passageHit: number;
  mrr: number;
  medianWallMs: number;
  p90WallMs: number;
  medianCpuMs: number;
  maxLoopBlockMs: number;
}

export interface RetrievalEvalReport extends RetrievalSummary {
  method: string;
  byCollection: Record<string, RetrievalSummary>;
  outcomes: QuestionOutcome[];
}

/** Starts corpus-server-process.ts and waits for its address. */
async function startServerProcess(
  ids: string[],
): Promise<{ origin: string; host: string; close(): Promise<void> }> {
  const script = new URL('./corpus-server-process.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(ids)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the corpus server exited (${code})`)));
  });
  const address = JSON.parse(first) as { origin: string; host: string };
  return {
    ...address,
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}

export function loadQuestions(): RetrievalQuestion[] {
  return (JSON.parse(readFileSync(QUESTIONS_FILE, 'utf8')) as { questions: RetrievalQuestion[] })
    .questions;
}

/** Whitespace and case do not count: inline markup may space a phrase differently. */
const squash = (text: string) => text.toLowerCase().replace(/\s+/g, '');

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

export function summarize(outcomes: QuestionOutcome[]): RetrievalSummary {
  const n = Math.max(outcomes.length, 1);
  return {
    questions: outcomes.length,
    pageRecallAt5: round(
      outcomes.filter((o) => o.sourceNumber !== null && o.sourceNumber <= 5).length / n,
    ),
    passageHit: round(outcomes.filter((o) => o.passageHit).length / n),
    mrr: round(outcomes.reduce((sum, o) => sum + (o.sourceNumber ? 1 / o.sourceNumber : 0), 0) / n),
    medianWallMs: Math.round(
      percentile(
        outcomes.map((o) => o.wallMs),
        0.5,
      ),
    ),
    p90WallMs: Math.round(
      percentile(
        outcomes.map((o) => o.wallMs),
        0.9,
      ),
    ),
    medianCpuMs: Math.round(
      percentile(
        outcomes.map((o) => o.cpuMs),
        0.5,
      ),
    ),
    maxLoopBlockMs: Math.round(Math.max(0, ...outcomes.map((o) => o.maxLoopBlockMs))),
  };
}

export interface RetrievalEvalOptions {
  limit?: number;
  /** Only questions whose id contains this. */
  only?: string;
  onOutcome?: (outcome: QuestionOutcome) => void;
  /**
   * Time budgets for reading pages, when quality rather than speed is measured on a busy machine
   * (the defaults are the app's).
   */
  timeouts?: { readBudgetMs?: number; extractMs?: number };
}

/**
 * Runs every question through Search's real retrieval (SearXNG provider, page reading through
 * the SSRF guard with 127.0.0.1 allowed, extraction, ranking, context) with keyword ranking only,
 * and scores what reached the model.
 */
export async function runRetrievalEval(
  options: RetrievalEvalOptions = {},
): Promise<RetrievalEvalReport> {
  const corpus = loadCorpus();
  let questions = loadQuestions();
  if (options.only) questions = questions.filter((q) => q.id.includes(options.only ?? ''));
  if (options.limit) questions = questions.slice(0, options.limit);
  const plans = planResults(questions, corpus);
  const server = await startServerProcess(questions.map((q) => q.id));
  const dataDir = mkdtempSync(join(tmpdir(), 'ponder-retrieval-eval-'));
  const pipeline = createSearchPipeline(
    {
      provider: 'searxng',
      searxngUrl: server.origin,
      allowPrivateHosts: [server.host],
      dataDir,
      allowModelDownload: false,
      ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    },
    { embedder: null },
  );
  const outcomes: QuestionOutcome[] = [];
  let method = '';
  try {
    // One unscored question first: module loading and worker start-up happen once per app run,
    // not once per question.
    if (plans[0]) for await (const _ of pipeline.run(plans[0].question.question)) void _;
    for (const plan of plans) {
      const { question } = plan;
      const loop = monitorEventLoopDelay({ resolution: 5 });
      loop.enable();
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      let sources: Source[] = [];
      let wallMs = 0;
      let cpuMs = 0;
      let pagesRead: number | null = null;
      let unread: { url: string; reason: string }[] = [];
      const run = pipeline.run(question.question);
      let step = await run.next();
      while (!step.done) {
        const event: AnswerEvent = step.value;
        if (event.type === 'search-results') {
          pagesRead = event.pagesRead ?? null;
          unread = event.unread ?? [];
        }
        if (event.type === 'ranked') method = event.method;
        if (event.type === 'sources') {
          wallMs = performance.now() - start;
          const cpu = process.cpuUsage(cpuStart);
          cpuMs = (cpu.user + cpu.system) / 1000;
          sources = event.sources;
        }
        step = await run.next();
      }
      loop.disable();
      const context = step.value.systemPrompt;
      const answerUrl = `${server.origin}/docs/${question.page}`;
      const found = sources.find((s) => s.url === answerUrl);
      const outcome: QuestionOutcome = {
        id: question.id,
        collection: question.page.split('/')[0] ?? '',
        answerRank: plan.answerRank,
        sourceNumber: found?.n ?? null,
        passageHit: squash(context).includes(squash(question.answer)),
        wallMs: Math.round(wallMs),
        cpuMs: Math.round(cpuMs),
        maxLoopBlockMs: Math.round(loop.max / 1e6),
        pagesRead,
        unread,
      };
      outcomes.push(outcome);
      options.onOutcome?.(outcome);
    }
  } finally {
    await pipeline.dispose();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const collections = [...new Set(outcomes.map((o) => o.collection))];
  return {
    method,
    ...summarize(outcomes),
    byCollection: Object.fromEntries(
      collections.map((c) => [c, summarize(outcomes.filter((o) => o.collection === c))]),
    ),
    outcomes,
  };
}
