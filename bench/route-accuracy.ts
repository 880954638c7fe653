/**
 * Auto's routing on its labelled set: accuracy of the fast rules (with the default, chat, where they
 * are unsure, since no real model runs here), how often they are unsure, a confusion table, and
 * how long the rules take per question (the path without the model; the target is ≤ 50 ms).
 * Writes bench/results/route-accuracy-<date>.json.
 *
 *   npx tsx bench/route-accuracy.ts [--runs 200]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LABELLED_QUESTIONS } from '../electron/core/agent/route/labelled-questions';
import { routeByRules } from '../electron/core/agent/route/route-rules';
import { ROUTE_CHOICES, type RouteChoice } from '../electron/core/agent/route/route-types';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '200' } } });
const runs = Math.max(10, Number(values.runs));

const contextOf = (item: (typeof LABELLED_QUESTIONS)[number]) =>
  item.previous ? { previous: item.previous } : {};

const confusion: Record<string, Record<string, number>> = {};
let right = 0;
let unsure = 0;
let rightWhenSure = 0;
const wrong: { question: string; expected: RouteChoice; got: string }[] = [];
for (const item of LABELLED_QUESTIONS) {
  const decision = routeByRules(item.question, contextOf(item));
  const got = decision?.choice ?? 'chat';
  if (!decision) unsure++;
  if (got === item.expected) {
    right++;
    if (decision) rightWhenSure++;
  } else {
    wrong.push({
      question: item.question,
      expected: item.expected,
      got: decision ? got : `unsure → ${got}`,
    });
  }
  const row = (confusion[item.expected] ??= {});
  row[decision ? got : 'unsure'] = (row[decision ? got : 'unsure'] ?? 0) + 1;
}

// Time per question, every question routed `runs` times (after a warm-up round).
for (const item of LABELLED_QUESTIONS) routeByRules(item.question, contextOf(item));
const times: number[] = [];
for (let run = 0; run < runs; run++) {
  for (const item of LABELLED_QUESTIONS) {
    const started = performance.now();
    routeByRules(item.question, contextOf(item));
    times.push(performance.now() - started);
  }
}
times.sort((a, b) => a - b);
const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
const ms = (x: number) => Math.round(x * 10_000) / 10_000;

const total = LABELLED_QUESTIONS.length;
const date = new Date().toISOString().slice(0, 10);
const result = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '', loadavg: loadavg() },
  questions: total,
  perChoice: Object.fromEntries(
    ROUTE_CHOICES.map((choice) => [
      choice,
      LABELLED_QUESTIONS.filter((q) => q.expected === choice).length,
    ]),
  ),
  accuracy: Math.round((right / total) * 1000) / 1000,
  unsure,
  accuracyWhenSure: Math.round((rightWhenSure / (total - unsure)) * 1000) / 1000,
  note: 'The model decides where the rules are unsure; no real model runs here, so those count as the default (chat).',
  confusion,
  wrong,
  rulesTimeMs: {
    median: ms(at(0.5)),
    p99: ms(at(0.99)),
    max: ms(times.at(-1) ?? 0),
    samples: times.length,
  },
  targetMs: 50,
};
mkdirSync(join(root, 'bench/results'), { recursive: true });
const file = join(root, `bench/results/route-accuracy-${date}.json`);
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(
  `${right}/${total} right (${(result.accuracy * 100).toFixed(1)}%), ${unsure} unsure; rules take median ${result.rulesTimeMs.median} ms, max ${result.rulesTimeMs.max} ms. Wrote ${file}`,
);
