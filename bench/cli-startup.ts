/**
 * Start-up cost of the `ponder` command as a person runs it: wall time of `ponder --help`, and of
 * `ponder ask` for a short answer on a tiny real model (the model process included), median of
 * several runs. Writes bench/results/cli-startup-<date>[-label].json.
 *
 *   npx tsx bench/cli-startup.ts [--runs 7] [--tokens 20] [--model FILE] [--label before]
 *                                [--bin OTHER_CHECKOUT/bin/ponder.js] [--against OTHER/bin/ponder.js]
 *
 * --bin measures another checkout's `ponder` (an older commit, say) on the same machine and load.
 * --against measures a second `ponder` in turn with the first, run by run, so both see the same load
 * on a busy machine; its results are under `against`.
 *
 * Targets: `--help` ≤ 0.3 s; the 20-token `ask` on stories260K.gguf ≤ 1.5 s.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { round, summarize } from './stats';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    tokens: { type: 'string', default: '20' },
    model: { type: 'string', default: join(root, '../shared/fixtures/stories260K.gguf') },
    label: { type: 'string' },
    bin: { type: 'string' },
    against: { type: 'string' },
  },
});
const runs = Math.max(1, Number(values.runs));
const model = values.model;
if (!existsSync(model)) {
  console.error(`No model at ${model}; pass one with --model.`);
  process.exit(2);
}

const BIN = values.bin ?? join(root, 'bin/ponder.js');
const dataDir = mkdtempSync(join(tmpdir(), 'ponder-cli-startup-'));
const env: NodeJS.ProcessEnv = { ...process.env, PONDER_DATA_DIR: dataDir, NO_COLOR: '1' };
for (const key of ['PONDER_MODEL', 'PONDER_SFT', 'PONDER_GRPO', 'PONDER_FROM_SOURCE']) {
  delete env[key];
}

/** Wall seconds of one run of `ponder ARGS`; a failed run stops the benchmark. */
function timeOnce(
  bin: string,
  args: string[],
): { seconds: number; stdout: string; stderr: string } {
  const start = performance.now();
  const result = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });
  const seconds = (performance.now() - start) / 1000;
  if (result.status !== 0) {
    console.error(`ponder ${args.join(' ')} exited ${result.status}:\n${result.stderr}`);
    process.exit(1);
  }
  return { seconds, stdout: result.stdout, stderr: result.stderr };
}

const BINS = values.against ? [BIN, values.against] : [BIN];

type Measured = { seconds: ReturnType<typeof summarize>; last: string };

/** Each of BINS `runs` times, taking turns (which goes first alternates), after one warm-up each. */
function measure(args: string[]): Measured[] {
  for (const bin of BINS) timeOnce(bin, args); // warms the file cache, as a second use would
  const times: number[][] = BINS.map(() => []);
  const last = BINS.map(() => '');
  for (let i = 0; i < runs; i += 1) {
    const order = i % 2 === 0 ? BINS.map((_, n) => n) : BINS.map((_, n) => BINS.length - 1 - n);
    for (const n of order) {
      const run = timeOnce(BINS[n] as string, args);
      times[n]?.push(run.seconds);
      last[n] = run.stderr.trim().split('\n').at(-1) ?? '';
    }
  }
  return times.map((seconds, n) => ({ seconds: summarize(seconds), last: last[n] ?? '' }));
}

const [help, helpAgainst] = measure(['--help']);
const askArgs = [
  'ask',
  '--model',
  model,
  '--max-tokens',
  values.tokens,
  '--seed',
  '1',
  '--temperature',
  '0',
  'Once upon a time',
];
const [ask, askAgainst] = measure(askArgs);
rmSync(dataDir, { recursive: true, force: true });

// The commit of the checkout measured (--bin's, not this one's); none when it is not a git checkout.
const commitOf = (bin: string): string | undefined => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: join(bin, '../..'),
      stdio: ['ignore', 'pipe', 'ignore'],
      encoding: 'utf8',
    }).trim();
  } catch {
    return undefined;
  }
};
const commit = commitOf(BIN);
const result = {
  benchmark: 'cli-startup',
  date: new Date().toISOString(),
  label: values.label ?? null,
  commit,
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    loadAverage1m: round(loadavg()[0] ?? 0),
    node: process.version,
  },
  bin: BIN,
  runner: existsSync(join(BIN, '../../dist/cli/ponder.js'))
    ? 'compiled JavaScript (dist/cli)'
    : 'TypeScript through tsx',
  runs,
  targets: { helpSeconds: 0.3, askSeconds: 1.5 },
  helpSeconds: help?.seconds,
  ask: { command: `ponder ${askArgs.join(' ')}`, seconds: ask?.seconds, lastLine: ask?.last },
  ...(values.against
    ? {
        against: {
          bin: values.against,
          commit: commitOf(values.against),
          helpSeconds: helpAgainst?.seconds,
          ask: { seconds: askAgainst?.seconds, lastLine: askAgainst?.last },
        },
      }
    : {}),
};
const dir = join(root, 'bench/results');
mkdirSync(dir, { recursive: true });
const file = join(
  dir,
  `cli-startup-${result.date.slice(0, 10)}${values.label ? `-${values.label}` : ''}.json`,
);
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
console.log(`Wrote ${file}`);
