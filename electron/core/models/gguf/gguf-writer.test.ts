import { existsSync } from 'node:fs';
import { mkdtemp, open, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromFloat16Bits, kv, readGgufHeader, toFloat16Bits, writeGguf } from '..';
import type { GgufKv } from '..';

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ponder-gguf-writer-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function readBytes(path: string, offset: number, length: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    await file.read(buffer, 0, length, offset);
    return buffer;
  } finally {
    await file.close();
  }
}

/** Q4_K blocks are 144 bytes for 256 values; the writer must pass them through untouched. */
function q4kBlock(seed: number): Uint8Array {
  return Uint8Array.from({ length: 144 }, (_, index) => (index * 31 + seed) & 0xff);
}

describe('writeGguf', () => {
  it('round-trips metadata of every type and tensors of F32, F16 and raw Q4_K', async () => {
    const metadata: Record<string, GgufKv> = {
      'general.architecture': kv.string('test'),
      'test.u8': kv.uint8(255),
      'test.i8': kv.int8(-128),
      'test.u16': kv.uint16(65535),
      'test.i16': kv.int16(-32768),
      'test.u32': kv.uint32(4294967295),
      'test.i32': kv.int32(-2147483648),
      'test.f32': kv.float32(0.5),
      'test.f64': kv.float64(Math.PI),
      'test.u64': kv.uint64(2n ** 64n - 1n),
      'test.i64': kv.int64(-(2n ** 63n)),
      'test.bool': kv.bool(true),
      'test.unicode': kv.string('Ġ héllo ✓'),
      'test.strings': kv.array('string', ['a', '', 'ü']),
      'test.i32s': kv.array('int32', [1, -2, 3]),
      'test.f32s': kv.array('float32', [0.25, -1]),
      'test.bools': kv.array('bool', [true, false]),
      'test.u64s': kv.array('uint64', [1n, 2n]),
      'test.empty': kv.array('string', []),
    };
    const f32 = Float32Array.from({ length: 64 }, (_, index) => index / 8 - 3);
    const path = join(scratch, 'round-trip.gguf');
    const progress: number[] = [];
    const size = await writeGguf(path, {
      metadata,
      alignment: 64,
      onProgress: (written) => progress.push(written),
      tensors: [
        { name: 'a.f32', shape: [16, 4], type: 'F32', values: f32 },
        {
          name: 'b.f16',
          shape: [3],
          type: 'F16',
          values: () => [Float32Array.of(1.5), Float32Array.of(-2, 65504)],
        },
        {
          name: 'c.q4k',
          shape: [256, 3],
          type: 'Q4_K',
          bytes: async function* () {
            for (let block = 0; block < 3; block++) yield q4kBlock(block);
          },
        },
      ],
    });

    const header = await readGgufHeader(path);
    expect(header.fileSize).toBe(size);
    expect(header.alignment).toBe(64);
    expect(header.metadata['general.alignment']).toEqual(kv.uint32(64));
    for (const [key, value] of Object.entries(metadata))
      expect(header.metadata[key]).toEqual(value);
    expect(header.tensors.map(({ name, type, shape }) => ({ name, type, shape }))).toEqual([
      { name: 'a.f32', type: 'F32', shape: [16, 4] },
      { name: 'b.f16', type: 'F16', shape: [3] },
      { name: 'c.q4k', type: 'Q4_K', shape: [256, 3] },
    ]);
    for (const tensor of header.tensors) expect(tensor.fileOffset % 64).toBe(0);
    expect(progress.at(-1)).toBe(size);

    const [a, b, c] = header.tensors;
    const aBytes = await readBytes(path, a!.fileOffset, a!.byteSize);
    expect(new Float32Array(aBytes.buffer, aBytes.byteOffset, 64)).toEqual(f32);
    const bBytes = await readBytes(path, b!.fileOffset, 6);
    expect([0, 2, 4].map((offset) => fromFloat16Bits(bBytes.readUInt16LE(offset)))).toEqual([
      1.5, -2, 65504,
    ]);
    const cBytes = await readBytes(path, c!.fileOffset, c!.byteSize);
    expect(c!.byteSize).toBe(3 * 144);
    expect(cBytes).toEqual(Buffer.concat([0, 1, 2].map((seed) => q4kBlock(seed))));
  });

  it('refuses a producer that yields the wrong number of bytes and leaves no file', async () => {
    const path = join(scratch, 'short.gguf');
    const write = writeGguf(path, {
      metadata: { 'general.architecture': 'test' },
      tensors: [{ name: 'q', shape: [256], type: 'Q4_K', bytes: () => [new Uint8Array(100)] }],
    });
    await expect(write).rejects.toMatchObject({
      code: 'invalid-input',
      message: 'GGUF tensor "q" produced 100 bytes, its Q4_K shape [256] needs 144',
    });
    expect(existsSync(path)).toBe(false);
    expect((await readdir(scratch)).filter((file) => file.startsWith('short'))).toEqual([]);
  });

  it('stops on abort and removes the partial file', async () => {
    const path = join(scratch, 'aborted.gguf');
    const controller = new AbortController();
    const write = writeGguf(path, {
      metadata: { 'general.architecture': 'test' },
      signal: controller.signal,
      tensors: [
        {
          name: 'big',
          shape: [1024, 1024],
          type: 'F32',
          values: function* () {
            for (let row = 0; row < 1024; row++) {
              if (row === 10) controller.abort();
              yield new Float32Array(1024);
            }
          },
        },
      ],
    });
    await expect(write).rejects.toMatchObject({ name: 'AbortError' });
    expect((await readdir(scratch)).filter((file) => file.startsWith('aborted'))).toEqual([]);
  });

  it('refuses untyped or out-of-range numbers instead of writing what llama.cpp would misread', async () => {
    const write = writeGguf(join(scratch, 'bad.gguf'), {
      metadata: { 'x.count': kv.uint32(-1) },
      tensors: [],
    });
    await expect(write).rejects.toMatchObject({
      code: 'invalid-input',
      message: 'GGUF metadata "x.count": -1 is not a valid uint32',
    });
  });

  it('rounds to half precision like numpy', () => {
    expect(toFloat16Bits(1)).toBe(0x3c00);
    expect(toFloat16Bits(-2)).toBe(0xc000);
    expect(toFloat16Bits(65504)).toBe(0x7bff);
    expect(toFloat16Bits(1e6)).toBe(0x7c00);
    expect(toFloat16Bits(2 ** -24)).toBe(0x0001);
    expect(fromFloat16Bits(toFloat16Bits(0.1))).toBeCloseTo(0.0999755859375, 10);
  });
});
