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
import { runTool } from '../electron/core/models/merge/run-tool';
import { writeStoriesLora } from './stories-lora';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, threads: { type: 'string', default: '2' } },
});
const runs = Number(values.runs);
const threads = Number(values.threads);

await ensureFixtures();
const tools = requireMergeTools();
// The same base quantised to Q8_0, so the merge's requantisation path is measured too.
const scratch = await mkdtemp(join(tmpdir(), 'ponder-merge-bench-base-'));
const q8Base = join(scratch, 'tiny-qwen2-q8_0.gguf');
await runTool(tools.quantize, [fixturePaths.base, q8Base, 'Q8_0', String(threads)]);
// Real weights too: stories260K (llama, F32) with a seeded random rank-8 LoRA on every attn_q and
// attn_v, merged into the F32 model and into the model quantised to Q8_0.
const storiesQ8 = join(scratch, 'stories260K-q8_0.gguf');
await runTool(tools.quantize, [fixturePaths.stories260K, storiesQ8, 'Q8_0', String(threads)]);
const storiesLora = join(scratch, 'stories260K-random-lora.gguf');
await writeStoriesLora(storiesLora, { rank: 8, targets: ['attn_q', 'attn_v'] });
const results = [];
for (const [base, role, adapterPath] of [
  ['F32', 'sft', fixturePaths.sft],
  ['F32', 'grpo', fixturePaths.grpo],
  ['Q8_0', 'sft', fixturePaths.sft],
  ['Q8_0', 'grpo', fixturePaths.grpo],
  ['stories260K F32', 'random rank-8', storiesLora],
  ['stories260K Q8_0', 'random rank-8', storiesLora],
] as const) {
  for (let run = 0; run < runs; run++) {
    const root = await mkdtemp(join(tmpdir(), 'ponder-merge-bench-'));
    try {
      const started = performance.now();
      const result = await mergeAdapter({
        basePath: {
          F32: fixturePaths.base,
          Q8_0: q8Base,
          'stories260K F32': fixturePaths.stories260K,
          'stories260K Q8_0': storiesQ8,
        }[base],
        adapterPath,
        cacheRoot: root,
        tools,
        // stories260K runs on one thread (see models/fixtures).
        threads: base.startsWith('stories') ? 1 : threads,
        gpu: false,
      });
      const totalSeconds = (performance.now() - started) / 1000;
      results.push({
        base,
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
        `${base} ${role} run ${run + 1}: ${totalSeconds.toFixed(2)} s, agreement ${(result.quality.agreement * 100).toFixed(1)}% of ${result.quality.positions}`,
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }
}

await rm(scratch, { recursive: true, force: true });

const date = new Date().toISOString().slice(0, 10);
const out = join('bench', 'results', `merge-${date}.json`);
await mkdir(join('bench', 'results'), { recursive: true });
await writeFile(
  out,
  `${JSON.stringify(
    {
      what: 'ponder fast-mode merge of the fixture adapters into the fixture base (F32, 2.6 MB) and into the same base quantised to Q8_0; stories260K (F32 and Q8_0) with a seeded random rank-8 LoRA on attn_q/attn_v',
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
