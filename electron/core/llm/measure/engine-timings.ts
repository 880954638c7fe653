/**
 * Measures what the engine's design promises, on this machine, and prints one JSON object:
 * mode-switch time (first switch creates the adapter's context, later ones only pick it), decode
 * speed through the engine, cancel latency, and decode speed per thread count.
 *
 *   npx tsx electron/core/llm/measure/engine-timings.ts [--runs N] [--threads 1,2]
 *
 * Timings are medians of N runs (min–max alongside). For reports, not assertions.
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { ensureFixtures, fixturePaths } from '../../../../models/fixtures';
import type { Mode } from '../../../shared';
import { createEngine } from '../create-engine';
import type { Engine, EngineOptions } from '../engine-types';

const { values } = parseArgs({
  options: { runs: { type: 'string' }, threads: { type: 'string' }, gpu: { type: 'boolean' } },
});
const RUNS = Number(values.runs ?? 5);
const THREADS = (values.threads ?? '1,2').split(',').map(Number);
const gpu = values.gpu ? 'auto' : false;

interface Spread {
  median: number;
  min: number;
  max: number;
}

function spread(samples: number[]): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    median: round(sorted[Math.floor(sorted.length / 2)] ?? 0),
    min: round(sorted[0] ?? 0),
    max: round(sorted.at(-1) ?? 0),
  };
}

async function decode(engine: Engine, mode: Mode, question: string, maxTokens: number) {
  for await (const event of engine.generate({
    mode,
    messages: [{ role: 'user', text: question }],
    temperature: 0,
    maxTokens,
  })) {
    if (event.type === 'done') return event.stats;
    if (event.type === 'error') throw new Error(event.error.message);
  }
  throw new Error('no done event');
}

async function cancelLatency(engine: Engine, mode: Mode, question: string): Promise<number> {
  const controller = new AbortController();
  let abortedAt = 0;
  let pieces = 0;
  for await (const event of engine.generate({
    mode,
    messages: [{ role: 'user', text: question }],
    temperature: 0,
    maxTokens: 10_000,
    signal: controller.signal,
  })) {
    const isText = event.type === 'text' || event.type === 'reasoning' || event.type === 'solution';
    if (isText && ++pieces === 3) {
      abortedAt = performance.now();
      controller.abort();
    }
    if (event.type === 'done') return performance.now() - abortedAt;
  }
  throw new Error('no done event');
}

async function modeSwitch(options: EngineOptions) {
  const cold: Record<string, number[]> = {};
  const warm: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const engine = await createEngine(options);
    for (const mode of ['chat', 'reasoning'] as const) {
      const result = await engine.prepare(mode);
      (cold[result.adapter] ??= []).push(result.ms);
    }
    for (let flip = 0; flip < 20; flip++) {
      warm.push((await engine.prepare(flip % 2 ? 'chat' : 'reasoning')).ms);
    }
    await engine.dispose();
  }
  return {
    firstSwitchMs: Object.fromEntries(Object.entries(cold).map(([key, ms]) => [key, spread(ms)])),
    warmSwitchMs: spread(warm),
  };
}

await ensureFixtures();
const fixture: EngineOptions = {
  modelPath: fixturePaths.base,
  adapters: { sft: fixturePaths.sft, grpo: fixturePaths.grpo },
  gpu,
  contextSize: 4096,
};
const result: Record<string, unknown> = {
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, loadAverage: loadavg() },
  runs: RUNS,
  modeSwitch: await modeSwitch({ ...fixture, threads: 1 }),
};

const speed: Record<string, unknown> = {};
for (const threads of THREADS) {
  const fixtureEngine = await createEngine({ ...fixture, threads });
  const stories = await createEngine({ modelPath: fixturePaths.stories260K, gpu, threads });
  const fixtureRates: number[] = [];
  const storiesRates: number[] = [];
  const storiesTotal: number[] = [];
  await decode(stories, 'chat', 'Once upon a time', 60);
  for (let run = 0; run < RUNS; run++) {
    fixtureRates.push((await decode(fixtureEngine, 'reasoning', '2+2?', 60)).tokensPerSecond);
    const stats = await decode(stories, 'chat', 'Once upon a time', 60);
    storiesRates.push(stats.tokensPerSecond);
    storiesTotal.push(stats.totalMs);
  }
  const cancels: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    cancels.push(await cancelLatency(stories, 'chat', 'Once upon a time'));
  }
  speed[`threads=${threads}`] = {
    fixtureGrpoTokensPerSecond: spread(fixtureRates),
    stories260KTokensPerSecond: spread(storiesRates),
    stories260K60TokensTotalMs: spread(storiesTotal),
    cancelToDoneMs: spread(cancels),
  };
  await fixtureEngine.dispose();
  await stories.dispose();
}
result.decode = speed;
const auto = await createEngine({ modelPath: fixturePaths.stories260K, gpu });
result.autoThreads = { threads: auto.info().threads, reason: auto.info().threadReason };
await auto.dispose();
console.log(JSON.stringify(result, null, 2));
