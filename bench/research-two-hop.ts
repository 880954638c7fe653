/**
 * Two-hop evaluation of Deep Search over the retrieval evaluation's real corpus (Debian's
 * documentation pages, served on 127.0.0.1 behind a SearXNG-compatible engine with keyword
 * distractors). Each question joins two questions of bench/retrieval/questions.json whose answers
 * sit on two different pages, so the answer needs passages from both.
 *
 * Coverage = both answer phrases are in the text given to the model:
 *   - one shot: today's Quick Search of the joined question (both answer pages among its 20 results);
 *   - after round 1 and after the loop: Deep Search driven by a scripted planner that stands in for
 *     the model's decisions (no real model runs here): the plan asks the first sub-question, the
 *     first analysis asks the second as a follow-up, the second analysis says enough.
 * Writes bench/results/research-two-hop-<date>.json.
 *
 *   npx tsx bench/research-two-hop.ts
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnswerEvent, GenerationStats } from '../electron/shared';
import { createDeepSearch } from '../electron/core/agent/research/deep-search';
import { drain } from '../electron/core/agent/research/testing/research-world';
import type { Engine } from '../electron/core/llm/engine-types';
import { createSearchPipeline } from '../electron/core/rag';
import { startCorpusSearchServer } from './retrieval/corpus-search-server';
import { loadCorpus } from './retrieval/doc-corpus';
import { loadQuestions } from './retrieval/run-retrieval-eval';
import { planResults, type RetrievalQuestion } from './retrieval/search-plan';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Pairs of single-hop question ids; the two answers are on different pages. */
const PAIRS: [string, string][] = [
  ['pg-temp-tables', 'sqlite-vacuum'],
  ['pg-default-isolation', 'sqlite-select-order'],
  ['pg-vacuum-full-lock', 'sqlite-attach'],
  ['pg-index-concurrently', 'git-blame'],
  ['pg-truncate', 'sqlite-drop-column'],
  ['pg-copy-views', 'sqlite-json-extract'],
  ['pg-dump-blocking', 'sqlite-foreign-keys'],
  ['pg-checkpoint-timeout', 'sqlite-wal-mode'],
  ['git-pull-rebase', 'git-stash-drop'],
  ['git-log-follow', 'git-cherry-pick'],
  ['git-worktree', 'git-clean'],
  ['git-bisect-reset', 'git-amend'],
  ['sqlite-autoincrement', 'sqlite-upsert'],
  ['sqlite-without-rowid', 'sqlite-max-length'],
  ['deb-sticky-bit', 'deb-fstab'],
  ['deb-journal-binary', 'deb-debsums'],
  ['pg-jsonb-storage', 'sqlite-text-affinity'],
];

const squash = (text: string) => text.toLowerCase().replace(/\s+/g, '');
const joinQuestions = (a: string, b: string) =>
  `${a.replace(/[?.]\s*$/, '')}, and ${b.charAt(0).toLowerCase()}${b.slice(1)}`;

interface TwoHop {
  id: string;
  question: string;
  hops: [RetrievalQuestion, RetrievalQuestion];
}

const singles = loadQuestions();
const byId = new Map(singles.map((q) => [q.id, q]));
const twoHops: TwoHop[] = PAIRS.map(([a, b]) => {
  const first = byId.get(a);
  const second = byId.get(b);
  if (!first || !second) throw new Error(`unknown question id in ${a} + ${b}`);
  if (first.page === second.page) throw new Error(`${a} and ${b} share a page`);
  return {
    id: `${a}+${b}`,
    question: joinQuestions(first.question, second.question),
    hops: [first, second],
  };
});

const corpus = loadCorpus();
// The engine answers each single question with its planned 20 pages, and each joined question
// with keyword distractors and both answer pages (at ranks that vary from 1 to 8).
const singlePlans = planResults(singles, corpus);
const joinedPlans = planResults(
  twoHops.map((t) => ({ id: t.id, question: t.question, page: t.hops[0].page, answer: '' })),
  corpus,
).map((plan, index) => {
  const second = twoHops[index]?.hops[1].page ?? '';
  const pages = plan.pages.filter((page) => page !== second).slice(0, 19);
  pages.splice(1 + ((plan.answerRank + 2) % 8), 0, second);
  return { ...plan, pages };
});
const server = await startCorpusSearchServer(corpus, [...singlePlans, ...joinedPlans]);
const dataDir = mkdtempSync(join(tmpdir(), 'ponder-two-hop-'));
const pipeline = createSearchPipeline(
  {
    provider: 'searxng',
    searxngUrl: server.origin,
    allowPrivateHosts: [server.host],
    dataDir,
    allowModelDownload: false,
    // Quality, not speed, is measured here, on a busy two-core machine.
    timeouts: { pageMs: 30_000, readBudgetMs: 30_000, extractMs: 30_000 },
  },
  { embedder: null },
);

/** Stands in for the model: answers plan and analysis requests from a script. */
function scriptedPlanner(first: string, second: string): Engine {
  let analyses = 0;
  const stats: GenerationStats = {
    promptTokens: 0,
    completionTokens: 0,
    timeToFirstTokenMs: 0,
    tokensPerSecond: 0,
    totalMs: 0,
    stopReason: 'eos',
    mode: 'search',
    adapter: 'base',
  };
  return {
    async *generate(request): AsyncGenerator<AnswerEvent> {
      const properties = (request.jsonSchema?.properties ?? {}) as Record<string, unknown>;
      let reply: unknown = {};
      if ('subQuestions' in properties) reply = { subQuestions: [first] };
      else if ('enough' in properties) {
        analyses += 1;
        reply =
          analyses === 1 ? { enough: false, followUps: [second] } : { enough: true, followUps: [] };
      }
      yield { type: 'text', text: JSON.stringify(reply) };
      yield { type: 'done', stats };
    },
    countTokens: (text) => Promise.resolve(text.length),
    prepare: () => Promise.reject(new Error('not a model')),
    info: () => {
      throw new Error('not a model');
    },
    dispose: () => Promise.resolve(),
  };
}

const covers = (context: string, hops: TwoHop['hops']) =>
  hops.map((hop) => squash(context).includes(squash(hop.answer)));

interface Outcome {
  id: string;
  question: string;
  oneShot: boolean[];
  afterRound1: boolean[];
  afterLoop: boolean[];
  queries: string[];
  loopMs: number;
}
const outcomes: Outcome[] = [];
try {
  for (const item of twoHops) {
    const [first, second] = item.hops;
    const oneShot = await drain(pipeline.run(item.question));
    const roundOne = await drain(
      createDeepSearch({
        engine: scriptedPlanner(first.question, second.question),
        search: pipeline,
        budgets: { rounds: 1 },
      }).run(item.question),
    );
    const started = performance.now();
    const loop = await drain(
      createDeepSearch({
        engine: scriptedPlanner(first.question, second.question),
        search: pipeline,
      }).run(item.question),
    );
    const loopMs = Math.round(performance.now() - started);
    const queries = loop.events.flatMap((e) =>
      e.type === 'step' && e.step.query ? [e.step.query] : [],
    );
    const outcome: Outcome = {
      id: item.id,
      question: item.question,
      oneShot: covers(oneShot.result.systemPrompt, item.hops),
      afterRound1: covers(roundOne.result.systemPrompt, item.hops),
      afterLoop: covers(loop.result.systemPrompt, item.hops),
      queries,
      loopMs,
    };
    outcomes.push(outcome);
    console.log(
      `${item.id}: one shot ${outcome.oneShot.map(Number).join('')}, round 1 ${outcome.afterRound1.map(Number).join('')}, loop ${outcome.afterLoop.map(Number).join('')} (${loopMs} ms)`,
    );
  }
} finally {
  await pipeline.dispose();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}

const both = (key: 'oneShot' | 'afterRound1' | 'afterLoop') =>
  Math.round((outcomes.filter((o) => o[key].every(Boolean)).length / outcomes.length) * 1000) /
  1000;
const result = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '', loadavg: loadavg() },
  questions: outcomes.length,
  ranking: 'bm25 (no embedding model here)',
  planner:
    'scripted: plan = first sub-question; analysis 1 = follow-up with the second; analysis 2 = enough',
  bothPassagesCovered: {
    oneShot: both('oneShot'),
    afterRound1: both('afterRound1'),
    afterLoop: both('afterLoop'),
  },
  outcomes,
};
mkdirSync(join(root, 'bench/results'), { recursive: true });
const file = join(
  root,
  `bench/results/research-two-hop-${new Date().toISOString().slice(0, 10)}.json`,
);
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(
  `Both passages in the context: ${JSON.stringify(result.bothPassagesCovered)}. Wrote ${file}`,
);
