/**
 * What Deep Search's loop costs besides the model and the searches: the fixture model (real
 * llama.cpp) makes the plan and the analyses, a SearXNG fixture on 127.0.0.1 answers each query,
 * and the time spent inside the engine and inside the searches is subtracted from the loop's wall
 * time (searches one at a time, so the parts add up). What remains is the loop's own work (prompts, fencing, numbering, the query gate).
 * Writes bench/results/research-overhead-<date>.json.
 *
 *   npx tsx bench/research-overhead.ts [--runs 10]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDeepSearch } from '../electron/core/agent/research/deep-search';
import {
  drain,
  startResearchWorld,
  stepsOf,
} from '../electron/core/agent/research/testing/research-world';
import type { SearchPort } from '../electron/core/agent/ports';
import { createEngine } from '../electron/core/llm/create-engine';
import type { Engine } from '../electron/core/llm/engine-types';
import {
  ensureResearchFixtures,
  researchFixturePaths,
} from '../models/fixtures/research/build-research-fixtures';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const runs = Math.max(3, Number(values.runs));
const QUESTION =
  'Who wrote Alpha and Beta, and who founded the lab where the author of Alpha worked?';

await ensureResearchFixtures();
const world = await startResearchWorld();
const model = await createEngine({
  modelPath: researchFixturePaths.followUp,
  gpu: false,
  threads: 1,
  contextSize: 4096,
});

let modelMs = 0;
let searchMs = 0;
const timedEngine: Engine = {
  info: () => model.info(),
  countTokens: (text) => model.countTokens(text),
  prepare: (mode, signal) => model.prepare(mode, signal),
  dispose: () => model.dispose(),
  async *generate(request) {
    const started = performance.now();
    try {
      yield* model.generate(request);
    } finally {
      modelMs += performance.now() - started;
    }
  },
};
const timedSearch: SearchPort = {
  async *run(query, signal) {
    const started = performance.now();
    try {
      return yield* world.pipeline.run(query, signal);
    } finally {
      searchMs += performance.now() - started;
    }
  },
  dispose: () => Promise.resolve(),
};

const samples: {
  wallMs: number;
  modelMs: number;
  searchMs: number;
  overheadMs: number;
  searches: number;
}[] = [];
for (let run = 0; run <= runs; run++) {
  modelMs = 0;
  searchMs = 0;
  const deep = createDeepSearch({ engine: timedEngine, search: timedSearch, concurrency: 1 });
  const started = performance.now();
  const { events } = await drain(deep.run(QUESTION));
  const wallMs = performance.now() - started;
  const searches = stepsOf(events).filter((step) => step.kind === 'search').length;
  if (run === 0) continue; // warm-up: first contexts, first page reads
  samples.push({ wallMs, modelMs, searchMs, overheadMs: wallMs - modelMs - searchMs, searches });
}
await model.dispose();
await world.close();

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};
const r = (x: number) => Math.round(x * 10) / 10;
const result = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '', loadavg: loadavg() },
  runs,
  note: 'Searches run one at a time here so that wall = model + search + loop exactly; the app runs two at a time.',
  medianMs: {
    wall: r(median(samples.map((s) => s.wallMs))),
    model: r(median(samples.map((s) => s.modelMs))),
    search: r(median(samples.map((s) => s.searchMs))),
    overhead: r(median(samples.map((s) => s.overheadMs))),
  },
  searchesPerRun: samples[0]?.searches ?? 0,
  samples: samples.map((s) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, r(v)]))),
};
mkdirSync(join(root, 'bench/results'), { recursive: true });
const file = join(
  root,
  `bench/results/research-overhead-${new Date().toISOString().slice(0, 10)}.json`,
);
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(
  `median wall ${result.medianMs.wall} ms = model ${result.medianMs.model} + search ${result.medianMs.search} + loop ${result.medianMs.overhead} ms. Wrote ${file}`,
);
