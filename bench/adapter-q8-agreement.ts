/**
 * Runtime adapters stored as Q8_0 (electron/core/llm/runtime-adapters.ts): how often base + the
 * Q8_0 copy picks the same greedy next token as base + the adapter as given, position by position
 * over the merge check's fixed text, on the fixture adapters and on stories260K (real weights) with
 * seeded random LoRAs; for scale, the same comparison for the adapter merely stored as F16. Writes
 * bench/results/adapter-q8_0-<date>.json.
 *
 *   npx tsx bench/adapter-q8-agreement.ts
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureFixtures, fixturePaths } from '../models/fixtures';
import { measureAgreement } from '../electron/core/models/merge/check-agreement';
import { readFile } from 'node:fs/promises';
import { readGgufHeader, writeGguf } from '../electron/core/models';
import { decodeFloats } from '../electron/core/models/safetensors';
import { q8AdapterCopy } from '../electron/core/models/runtime-adapter/q8-adapter-copy';
import { writeStoriesLora } from './stories-lora';

/** The adapter with its F32 tensors stored as F16, as PEFT conversions write them by default. */
async function f16Copy(adapterPath: string, out: string): Promise<string> {
  const header = await readGgufHeader(adapterPath);
  const file = await readFile(adapterPath);
  await writeGguf(out, {
    metadata: header.metadata,
    tensors: header.tensors.map((tensor) => {
      const bytes = file.subarray(tensor.fileOffset, tensor.fileOffset + tensor.byteSize);
      return tensor.type === 'F32'
        ? {
            name: tensor.name,
            shape: tensor.shape,
            type: 'F16',
            values: decodeFloats(bytes, 'F32'),
          }
        : { name: tensor.name, shape: tensor.shape, type: tensor.type, bytes };
    }),
  });
  return out;
}

await ensureFixtures();
const scratch = mkdtempSync(join(tmpdir(), 'ponder-q8-agreement-'));
try {
  const storiesSmall = join(scratch, 'stories-rank8-q-v.gguf');
  await writeStoriesLora(storiesSmall, { rank: 8, targets: ['attn_q', 'attn_v'] });
  const storiesAll = join(scratch, 'stories-rank32-q-k-v-o.gguf');
  await writeStoriesLora(storiesAll, {
    rank: 32,
    targets: ['attn_q', 'attn_k', 'attn_v', 'attn_output'],
  });
  const cases = [
    ['tiny qwen2 fixture', 'SFT adapter', fixturePaths.base, fixturePaths.sft],
    ['tiny qwen2 fixture', 'GRPO adapter', fixturePaths.base, fixturePaths.grpo],
    ['stories260K (F32)', 'random rank-8 on q, v', fixturePaths.stories260K, storiesSmall],
    ['stories260K (F32)', 'random rank-32 on q, k, v, o', fixturePaths.stories260K, storiesAll],
  ] as const;
  const results = [];
  for (const [base, adapter, basePath, adapterPath] of cases) {
    const started = performance.now();
    const copy = await q8AdapterCopy(adapterPath, join(scratch, 'cache'));
    const copyMs = Math.round(performance.now() - started);
    const agreement = await measureAgreement({
      basePath,
      adapterPath,
      mergedPath: basePath,
      mergedAdapterPath: copy.path,
      gpu: false,
      // stories260K runs on one thread (see models/fixtures).
      threads: 1,
    });
    // For scale: the same comparison for the adapter merely stored as F16.
    const asF16 = await measureAgreement({
      basePath,
      adapterPath,
      mergedPath: basePath,
      mergedAdapterPath: await f16Copy(adapterPath, join(scratch, 'f16.gguf')),
      gpu: false,
      threads: 1,
    });
    results.push({
      f16Agreement: asF16.agreement,
      base,
      adapter,
      quantizedTensors: copy.quantized,
      worstRelativeError: copy.worstRelativeError,
      copyMs,
      ...agreement,
    });
    console.log(
      `${base}, ${adapter}: ${copy.quantized} tensors as Q8_0, agreement ${(agreement.agreement * 100).toFixed(1)}% of ${agreement.positions} (stored as F16: ${(asF16.agreement * 100).toFixed(1)}%)`,
    );
  }
  const date = new Date().toISOString().slice(0, 10);
  mkdirSync('bench/results', { recursive: true });
  const out = `bench/results/adapter-q8_0-${date}.json`;
  writeFileSync(
    out,
    `${JSON.stringify({ date, command: 'npx tsx bench/adapter-q8-agreement.ts', cpu: cpus()[0]?.model, results }, null, 2)}\n`,
  );
  console.log(`Wrote ${out}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
