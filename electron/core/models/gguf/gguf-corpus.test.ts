import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtures, fixturePaths } from '../../../../models/fixtures';
import { PonderError } from '../../errors';
import { readGgufHeader, readGgufSummary, writeGguf } from '..';
import type { GgufTensorInput } from '..';

/**
 * SECURITY.md #16: a corpus of truncated and corrupted files. Every one must either read cleanly
 * or give a PonderError (model-invalid) quickly: no other exception, no hang, no crash.
 */
let scratch: string;
let small: Buffer;
let dataOffset: number;
/** Where the last tensor's data ends; only zero padding follows. */
let dataEnd: number;

beforeAll(async () => {
  await ensureFixtures();
  scratch = await mkdtemp(join(tmpdir(), 'ponder-corpus-'));
  // The fixture's full metadata (vocabulary, template) with small tensors keeps each variant tiny.
  const header = await readGgufHeader(fixturePaths.base);
  const tensors: GgufTensorInput[] = [
    { name: 'a.weight', shape: [8, 4], type: 'F32', values: new Float32Array(32).fill(1) },
    { name: 'b.weight', shape: [256], type: 'Q4_K', bytes: new Uint8Array(144).fill(3) },
    { name: 'c.weight', shape: [5], type: 'F16', values: new Float32Array(5) },
  ];
  const path = join(scratch, 'small.gguf');
  await writeGguf(path, { metadata: header.metadata, tensors });
  small = await readFile(path);
  const written = await readGgufHeader(path);
  dataOffset = written.dataOffset;
  const last = written.tensors.at(-1);
  dataEnd = last ? last.fileOffset + last.byteSize : dataOffset;
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Deterministic pseudo-random numbers (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

async function outcome(bytes: Buffer, name: string): Promise<'ok' | 'refused'> {
  const path = join(scratch, name);
  await writeFile(path, bytes);
  try {
    await readGgufSummary(path);
    return 'ok';
  } catch (error) {
    expect(error).toBeInstanceOf(PonderError);
    expect((error as PonderError).code).toBe('model-invalid');
    expect((error as PonderError).message).not.toContain('\n');
    return 'refused';
  } finally {
    await rm(path, { force: true });
  }
}

describe('GGUF corpus', () => {
  it('refuses the file cut anywhere before the end of its data', { timeout: 30_000 }, async () => {
    const cuts = new Set<number>();
    for (let cut = 0; cut < dataEnd; cut += 61) cuts.add(cut);
    for (const cut of [4, 8, 16, 23, 24, dataOffset - 1, dataOffset, dataEnd - 1]) cuts.add(cut);
    for (const cut of cuts) {
      expect(await outcome(small.subarray(0, cut), `cut-${cut}.gguf`)).toBe('refused');
    }
    // Like llama.cpp, only the trailing alignment padding may be missing.
    expect(await outcome(small.subarray(0, dataEnd), 'unpadded.gguf')).toBe('ok');
  });

  it(
    'reads or cleanly refuses the header with random bytes overwritten',
    { timeout: 30_000 },
    async () => {
      const next = random(16);
      const results = { ok: 0, refused: 0 };
      for (let round = 0; round < 300; round++) {
        const copy = Buffer.from(small);
        const edits = 1 + Math.floor(next() * 4);
        for (let edit = 0; edit < edits; edit++) {
          const at = Math.floor(next() * dataOffset);
          copy[at] = next() < 0.5 ? 0xff : Math.floor(next() * 256);
        }
        results[await outcome(copy, `flip-${round}.gguf`)]++;
      }
      expect(results.refused).toBeGreaterThan(0);
      expect(results.ok + results.refused).toBe(300);
    },
  );
});
