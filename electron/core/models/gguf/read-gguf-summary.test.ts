import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtures, fixturePaths } from '../../../../models/fixtures';
import { PonderError } from '../../errors';
import { kv, metadataArray, readGgufSummary, writeGguf } from '..';

/** Each broken file must be refused quickly; a hang fails here long before the test timeout. */
const FAST = 5_000;

let scratch: string;

beforeAll(async () => {
  await ensureFixtures();
  scratch = await mkdtemp(join(tmpdir(), 'ponder-gguf-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function failure(path: string): Promise<PonderError> {
  const error = await readGgufSummary(path).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PonderError);
  const ponderError = error as PonderError;
  expect(ponderError.message).not.toContain('\n');
  expect(ponderError.hint).toBeTruthy();
  return ponderError;
}

describe('readGgufSummary on good files', () => {
  it('describes the fixture base model', async () => {
    const summary = await readGgufSummary(fixturePaths.base);
    expect(summary).toMatchObject({
      architecture: 'qwen2',
      type: 'model',
      version: 3,
      fileType: 'F32',
      contextLength: 4096,
      hasChatTemplate: true,
      tensorCount: 15,
    });
    expect(summary.chatTemplate).toContain('<|im_start|>');
    expect(summary.tensors).toContainEqual({
      name: 'output.weight',
      type: 'F32',
      shape: [320, 272],
    });
    expect(metadataArray(summary.metadata, 'tokenizer.ggml.tokens')?.items).toHaveLength(272);
    expect(summary.adapter).toBeUndefined();
  });

  it('describes a LoRA adapter: alpha, rank and the base shape it needs', async () => {
    const summary = await readGgufSummary(fixturePaths.grpo);
    expect(summary.type).toBe('adapter');
    expect(summary.adapter).toEqual({
      adapterType: 'lora',
      loraAlpha: 320,
      rank: 320,
      targets: [
        {
          name: 'output.weight',
          loraA: [320, 320],
          loraB: [320, 272],
          expectedBaseShape: [320, 272],
        },
      ],
    });
  });

  it.skipIf(!existsSync(fixturePaths.stories260K))(
    'reads a model converted by llama.cpp',
    async () => {
      const summary = await readGgufSummary(fixturePaths.stories260K);
      expect(summary).toMatchObject({ architecture: 'llama', type: 'model', tensorCount: 48 });
    },
  );
});

describe('readGgufSummary refuses broken files with one clear line', () => {
  const { broken } = fixturePaths;

  it('bad magic', { timeout: FAST }, async () => {
    const error = await failure(broken.badMagic);
    expect(error.code).toBe('model-invalid');
    expect(error.message).toBe(
      `${broken.badMagic} is not a GGUF file (bad magic "NOPE", expected "GGUF")`,
    );
  });

  it('a text file renamed .gguf', { timeout: FAST }, async () => {
    const error = await failure(broken.notGguf);
    expect(error.code).toBe('model-invalid');
    expect(error.message).toMatch(/is not a GGUF file \(bad magic "This"/);
  });

  it('truncated in the tensor data', { timeout: FAST }, async () => {
    const error = await failure(broken.truncatedData);
    expect(error.code).toBe('model-invalid');
    expect(error.message).toMatch(
      /is truncated: tensor "[^"]+" needs bytes \d+–\d+ but the file ends at byte 1302208/,
    );
  });

  it('truncated in the header', { timeout: FAST }, async () => {
    const error = await failure(broken.truncatedHeader);
    expect(error.code).toBe('model-invalid');
    expect(error.message).toMatch(/is truncated: /);
  });

  it('a header claiming far more tensors than the file holds', { timeout: FAST }, async () => {
    const error = await failure(broken.lyingTensorCount);
    expect(error.code).toBe('model-invalid');
    expect(error.message).toMatch(
      /has a corrupt header: it claims 1000000000 tensors and \d+ metadata entries, but a file of 2\.5 MiB can hold at most \d+ tensors/,
    );
  });

  it('a string length larger than the file', { timeout: FAST }, async () => {
    const error = await failure(broken.hugeString);
    expect(error.code).toBe('model-invalid');
    expect(error.message).toMatch(
      /has a corrupt header: the value of "general.architecture" at byte 56 claims 1\.0 TiB/,
    );
  });

  it('a missing file', { timeout: FAST }, async () => {
    const path = join(scratch, 'absent.gguf');
    const error = await failure(path);
    expect(error.code).toBe('model-missing');
    expect(error.message).toBe(`Model file not found: ${path}`);
  });

  it('the second part of a split model', { timeout: FAST }, async () => {
    const path = join(scratch, 'model-00002-of-00002.gguf');
    await writeGguf(path, {
      metadata: {
        'split.no': kv.uint16(1),
        'split.count': kv.uint16(2),
        'split.tensors.count': kv.int32(1),
      },
      tensors: [{ name: 'x', shape: [4], type: 'F32', values: new Float32Array(4) }],
    });
    const error = await failure(path);
    expect(error.message).toBe(`${path} is part 2 of 2 of a split model`);
    expect(error.hint).toMatch(/Load the first part/);
  });

  it('a folder, an empty file, a stub and an old version', { timeout: FAST }, async () => {
    const folder = join(scratch, 'folder.gguf');
    await mkdir(folder);
    expect((await failure(folder)).message).toMatch(/is not a GGUF file \(it is/);
    const empty = join(scratch, 'empty.gguf');
    await writeFile(empty, '');
    expect((await failure(empty)).message).toBe(`${empty} is not a GGUF file (the file is empty)`);
    const stub = join(scratch, 'stub.gguf');
    await writeFile(stub, 'GGUF\x03\x00');
    expect((await failure(stub)).message).toMatch(
      /is truncated: 6 bytes is shorter than a GGUF header/,
    );
    const v1 = join(scratch, 'v1.gguf');
    const header = Buffer.alloc(24);
    header.write('GGUF', 0, 'latin1');
    header.writeUInt32LE(1, 4);
    await writeFile(v1, header);
    expect((await failure(v1)).message).toBe(
      `${v1} uses GGUF version 1; Ponder reads versions 2 and 3`,
    );
  });
});
