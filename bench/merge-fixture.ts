/**
 * Fast-mode merge on the fixture model: time of each step (llama-export-lora, llama-quantize, the
 * agreement check) and the agreement with base + runtime LoRA, for both fixture adapters, from an
 * empty cache each run. Writes bench/results/merge-<date>.json.
 *
 *   npm run native:tools && npx tsx bench/merge-fixture.ts [--runs 3] [--threads 2]
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureFixtures, fixturePaths } from '../models/fixtures';
import { mergeAdapter } from '../electron/core/models/merge/merge-adapter';
import { requireMergeTools } from '../electron/core/models/merge/merge-tools';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, threads: { type: 'string', default: '2' } },
});
const runs = Number(values.runs);
const threads = Number(values.threads);

await ensureFixtures();
const tools = requireMergeTools();
const results = [];
for (const [role, adapterPath] of [
  ['sft', fixturePaths.sft],
  ['grpo', fixturePaths.grpo],
] as const) {
  for (let run = 0; run < runs; run++) {
    const root = await mkdtemp(join(tmpdir(), 'ponder-merge-bench-'));
    try {
      const started = performance.now();
      const result = await mergeAdapter({
        basePath: fixturePaths.base,
        adapterPath,
        cacheRoot: root,
        tools,
        threads,
        gpu: false,
      });
      const totalSeconds = (performance.now() - started) / 1000;
      results.push({
        role,
        run,
        totalSeconds: Number(totalSeconds.toFixed(2)),
        seconds: Object.fromEntries(
          Object.entries(result.quality.seconds).map(([step, s]) => [step, Number(s.toFixed(2))]),
        ),
        agreement: result.quality.agreement,
        positions: result.quality.positions,
        threshold: result.quality.threshold,
      });
      console.log(
        `${role} run ${run + 1}: ${totalSeconds.toFixed(2)} s, agreement ${(result.quality.agreement * 100).toFixed(1)}% of ${result.quality.positions}`,
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }
}

const date = new Date().toISOString().slice(0, 10);
const out = join('bench', 'results', `merge-${date}.json`);
await mkdir(join('bench', 'results'), { recursive: true });
await writeFile(
  out,
  `${JSON.stringify(
    {
      what: 'ponder fast-mode merge of the fixture adapters into the fixture base (F32, 2.6 MB)',
      command: `npx tsx bench/merge-fixture.ts --runs ${runs} --threads ${threads}`,
      tools: tools.version,
      cpu: cpus()[0]?.model,
      cpuCount: cpus().length,
      threads,
      results,
    },
    null,
    2,
  )}\n`,
);
console.log(`Wrote ${out}`);
