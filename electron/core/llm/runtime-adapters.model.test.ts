import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureFixtures,
  FIXTURE_GRPO_PARTS,
  FIXTURE_REPLIES,
  fixturePaths,
} from '../../../models/fixtures';
import { measureAgreement } from '../models/merge/check-agreement';
import { readGgufHeader } from '../models/gguf/read-gguf-header';
import { writeGguf } from '../models/gguf/gguf-writer';
import { dequantizeQ8_0 } from '../models/runtime-adapter/q8-blocks';
import { q8AdapterCopy } from '../models/runtime-adapter/q8-adapter-copy';
import { createEngine } from './create-engine';
import type { Engine, EngineOptions } from './engine-types';
import { collectAnswer } from './testing/collect-answer';

const folders: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ponder-runtime-adapters-'));
  folders.push(dir);
  return dir;
};
const previousStorage = process.env.PONDER_ADAPTER_STORAGE;

beforeAll(async () => {
  await ensureFixtures();
});

afterEach(() => {
  if (previousStorage === undefined) delete process.env.PONDER_ADAPTER_STORAGE;
  else process.env.PONDER_ADAPTER_STORAGE = previousStorage;
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** An engine on the fixture model with these adapters and this data folder, on the CPU. */
function fixtureEngine(adapters: EngineOptions['adapters'], dataDir: string): Promise<Engine> {
  return createEngine({
    modelPath: fixturePaths.base,
    adapters,
    gpu: false,
    threads: 1,
    contextSize: 1024,
    dataDir,
  });
}

async function tensorBytes(path: string, name: string): Promise<Buffer> {
  const header = await readGgufHeader(path);
  const tensor = header.tensors.find((t) => t.name === name);
  if (!tensor) throw new Error(`no ${name} in ${path}`);
  const file = await readFile(path);
  return file.subarray(tensor.fileOffset, tensor.fileOffset + tensor.byteSize);
}

describe('Q8_0 copies of runtime adapters', () => {
  it('stores each float LoRA matrix as Q8_0 with the adapter’s metadata, once', async () => {
    const cache = tempDir();
    const first = await q8AdapterCopy(fixturePaths.sft, cache);
    expect(first).toMatchObject({ quantized: 2, created: true });
    expect(first.worstRelativeError).toBeGreaterThan(0);
    expect(first.worstRelativeError).toBeLessThan(0.01);
    const original = await readGgufHeader(fixturePaths.sft);
    const copy = await readGgufHeader(first.path);
    expect(copy.tensors.map((t) => [t.name, t.type, t.shape])).toEqual(
      original.tensors.map((t) => [t.name, 'Q8_0', t.shape]),
    );
    expect(copy.metadata).toEqual(original.metadata);
    expect(statSync(first.path).size).toBeLessThan(statSync(fixturePaths.sft).size / 3);
    // The values are the adapter's, within Q8_0's step.
    for (const tensor of original.tensors) {
      const raw = await tensorBytes(fixturePaths.sft, tensor.name);
      const values = new Float32Array(
        raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length),
      );
      const back = dequantizeQ8_0(await tensorBytes(first.path, tensor.name));
      const largest = Math.max(...values.map(Math.abs));
      const worst = Math.max(...back.map((value, i) => Math.abs(value - (values[i] ?? 0))));
      expect(worst).toBeLessThanOrEqual(largest / 127);
    }
    const mtime = statSync(first.path).mtimeMs;
    const again = await q8AdapterCopy(fixturePaths.sft, cache);
    expect(again).toEqual({ path: first.path, quantized: 2, created: false });
    expect(statSync(first.path).mtimeMs).toBe(mtime);

    // A copy cut short (the app quit while writing it) is cleared away and made again.
    rmSync(first.path);
    const leftover = `${first.path}.writing-12345`;
    writeFileSync(leftover, 'half a file');
    expect(await q8AdapterCopy(fixturePaths.sft, cache)).toMatchObject({ created: true });
    expect(existsSync(leftover)).toBe(false);
    expect(existsSync(first.path)).toBe(true);
  });

  it('refuses to copy values Q8_0 cannot hold, leaving nothing behind', async () => {
    const original = await readGgufHeader(fixturePaths.sft);
    const huge = join(tempDir(), 'huge-values.gguf');
    const tensors = await Promise.all(
      original.tensors.map(async (tensor, index) => {
        const raw = await tensorBytes(fixturePaths.sft, tensor.name);
        const values = new Float32Array(
          raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length),
        );
        // 1e7 / 127 is beyond f16's largest value, so its block's scale cannot be stored.
        if (index === 0) values[5] = 1e7;
        return { name: tensor.name, shape: tensor.shape, type: 'F32', values };
      }),
    );
    await writeGguf(huge, { metadata: original.metadata, tensors });
    const cache = tempDir();
    await expect(q8AdapterCopy(huge, cache)).rejects.toThrow(
      /would change by an unbounded amount as Q8_0/,
    );
    const left = readdirSync(cache, { recursive: true }).map(String);
    expect(left.filter((name) => name.endsWith('.gguf') || name.includes('.unchecked'))).toEqual(
      [],
    );
  });

  it('makes the same greedy choices as the adapter it was made from', async () => {
    const copy = await q8AdapterCopy(fixturePaths.sft, tempDir());
    const result = await measureAgreement({
      basePath: fixturePaths.base,
      adapterPath: fixturePaths.sft,
      mergedPath: fixturePaths.base,
      mergedAdapterPath: copy.path,
      gpu: false,
      threads: 1,
    });
    expect(result.positions).toBeGreaterThan(20);
    expect(result.agreement).toBe(1);
  });

  it('answers every mode as the adapters do when the engine runs them as Q8_0', async () => {
    process.env.PONDER_ADAPTER_STORAGE = 'q8_0';
    const dataDir = tempDir();
    const engine = await fixtureEngine({ sft: fixturePaths.sft, grpo: fixturePaths.grpo }, dataDir);
    try {
      const chat = await collectAnswer(engine, { mode: 'chat', temperature: 0 });
      expect(chat.text).toBe(FIXTURE_REPLIES.sft);
      const reasoning = await collectAnswer(engine, { mode: 'reasoning', temperature: 0 });
      expect(reasoning.reasoning).toBe(FIXTURE_GRPO_PARTS.reasoning);
      expect(reasoning.solution).toBe(FIXTURE_GRPO_PARTS.solution);
      expect(engine.info().runtimeAdapters).toEqual({
        storage: 'q8_0',
        reason: expect.stringContaining('Q8_0 copies') as unknown as string,
      });
      expect(
        readdirSync(join(dataDir, 'runtime-adapters')).filter((n) => n !== 'hashes.json'),
      ).toHaveLength(2);
    } finally {
      await engine.dispose();
    }
  });

  it('keeps the adapters as given on the CPU, and falls back to them when a copy cannot be made', async () => {
    const onCpu = tempDir();
    const engine = await fixtureEngine({ sft: fixturePaths.sft }, onCpu);
    try {
      expect((await collectAnswer(engine, { mode: 'chat', temperature: 0 })).text).toBe(
        FIXTURE_REPLIES.sft,
      );
      expect(engine.info().runtimeAdapters?.storage).toBe('as-given');
      expect(existsSync(join(onCpu, 'runtime-adapters'))).toBe(false);
    } finally {
      await engine.dispose();
    }

    process.env.PONDER_ADAPTER_STORAGE = 'q8_0';
    const blocked = tempDir();
    // A file where the copies' folder should be: the copy fails, the adapter still answers.
    writeFileSync(join(blocked, 'runtime-adapters'), 'not a folder');
    const fallback = await fixtureEngine({ sft: fixturePaths.sft }, blocked);
    try {
      expect((await collectAnswer(fallback, { mode: 'chat', temperature: 0 })).text).toBe(
        FIXTURE_REPLIES.sft,
      );
      expect(fallback.info().runtimeAdapters?.reason).toMatch(
        /run as given \(the Q8_0 copy of SFT failed: /,
      );
    } finally {
      await fallback.dispose();
    }
  });
});
