import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBFloat16Bits, fromBFloat16Bits } from './float-codecs';
import { readSafetensorsHeader } from './read-safetensors-header';
import { readTensorValues } from './read-tensor-values';
import { writeSafetensors } from './write-safetensors';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ponder-safetensors-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A file with this JSON header (and `data` bytes after it), length field as given. */
async function rawFile(
  name: string,
  header: string,
  data = Buffer.alloc(0),
  length?: bigint,
): Promise<string> {
  const json = Buffer.from(header, 'utf8');
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(length ?? BigInt(json.length));
  const path = join(work, name);
  await writeFile(path, Buffer.concat([prefix, json, data]));
  return path;
}

async function all(path: string, tensorName: string): Promise<number[]> {
  const header = await readSafetensorsHeader(path);
  const tensor = header.tensors.find((item) => item.name === tensorName);
  if (!tensor) throw new Error(`no ${tensorName}`);
  const values: number[] = [];
  for await (const chunk of readTensorValues(path, tensor)) values.push(...chunk);
  return values;
}

describe('safetensors reading', () => {
  it('reads back F32, F16 and BF16 tensors written as the safetensors library lays them out', async () => {
    const values = new Float32Array([1, -2, 0.5, 3.140625, 65504, -0]);
    const path = join(work, 'three.safetensors');
    await writeSafetensors(path, [
      { name: 'a32', dtype: 'F32', shape: [2, 3], values },
      { name: 'a16', dtype: 'F16', shape: [6], values },
      { name: 'abf', dtype: 'BF16', shape: [3, 2], values },
    ]);
    const header = await readSafetensorsHeader(path);
    expect(header.metadata).toEqual({ format: 'pt' });
    expect((header.dataStart - 8) % 8).toBe(0);
    expect(header.tensors.map((t) => [t.name, t.dtype, t.shape, t.byteLength])).toEqual([
      ['a32', 'F32', [2, 3], 24],
      ['a16', 'F16', [6], 12],
      ['abf', 'BF16', [3, 2], 12],
    ]);
    expect(await all(path, 'a32')).toEqual([...values]);
    expect(await all(path, 'a16')).toEqual([...values]);
    // 65504 is not a bfloat16: the nearest is 65536 (8 bits of mantissa).
    expect(await all(path, 'abf')).toEqual([1, -2, 0.5, 3.140625, 65536, -0]);
  });

  it('rounds to bfloat16 as PyTorch does: π → 0x4049 (3.140625), ties to even', () => {
    expect(toBFloat16Bits(Math.PI)).toBe(0x4049);
    expect(toBFloat16Bits(1)).toBe(0x3f80);
    expect(fromBFloat16Bits(0x4049)).toBe(3.140625);
    // 1 + 2^-8 is exactly halfway between 1 and 1 + 2^-7: ties to the even mantissa, 1.
    expect(toBFloat16Bits(1 + 2 ** -8)).toBe(0x3f80);
    expect(toBFloat16Bits(1 + 3 * 2 ** -8)).toBe(0x3f82);
  });

  it('streams a tensor larger than one read in pieces, never all at once', async () => {
    const count = (4 << 20) / 4 + 1000;
    const values = new Float32Array(count).map((_, index) => index % 7);
    const path = join(work, 'big.safetensors');
    await writeSafetensors(path, [{ name: 'big', dtype: 'F32', shape: [count], values }]);
    const header = await readSafetensorsHeader(path);
    const sizes: number[] = [];
    let sum = 0;
    for await (const chunk of readTensorValues(path, header.tensors[0]!)) {
      sizes.push(chunk.length);
      for (const value of chunk) sum += value;
    }
    expect(sizes).toEqual([(4 << 20) / 4, 1000]);
    expect(sum).toBe(values.reduce((a, b) => a + b, 0));
  });
});

describe('hostile or broken safetensors headers each give one clear line', () => {
  const entry = (offsets: [number, number], shape = [2]): object => ({
    dtype: 'F32',
    shape,
    data_offsets: offsets,
  });

  it('a header length larger than the file (truncated or lying)', async () => {
    const path = await rawFile('lying.safetensors', '{}', Buffer.alloc(0), 5000n);
    await expect(readSafetensorsHeader(path)).rejects.toThrow(
      /header claims 5000 bytes but the file has only 2/,
    );
  });

  it('a 100 MB header is refused before it is read', async () => {
    const path = await rawFile('huge.safetensors', '{}', Buffer.alloc(0), 100_000_000n);
    await expect(readSafetensorsHeader(path)).rejects.toThrow(
      /header claims 100000000 bytes, more than the 16777216/,
    );
  });

  it('a header that is not JSON', async () => {
    const path = await rawFile('text.safetensors', 'this is { not json');
    await expect(readSafetensorsHeader(path)).rejects.toThrow(/its header is not JSON/);
  });

  it('tensor offsets past the end of the file', async () => {
    const path = await rawFile(
      'past.safetensors',
      JSON.stringify({ w: entry([0, 8]) }),
      Buffer.alloc(4),
    );
    await expect(readSafetensorsHeader(path)).rejects.toThrow(
      /tensor "w" ends at byte .* past the end/,
    );
  });

  it('overlapping tensors', async () => {
    const header = JSON.stringify({ a: entry([0, 8]), b: entry([4, 12]) });
    const path = await rawFile('overlap.safetensors', header, Buffer.alloc(12));
    await expect(readSafetensorsHeader(path)).rejects.toThrow(/tensors "a" and "b" overlap/);
  });

  it('a byte range that does not match the shape', async () => {
    const path = await rawFile(
      'span.safetensors',
      JSON.stringify({ w: entry([0, 12]) }),
      Buffer.alloc(12),
    );
    await expect(readSafetensorsHeader(path)).rejects.toThrow(
      /spans 12 bytes, its F32 shape \[2\] needs 8/,
    );
  });

  it('an element type LoRA weights never have', async () => {
    const header = JSON.stringify({ w: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } });
    const path = await rawFile('int.safetensors', header, Buffer.alloc(8));
    await expect(readSafetensorsHeader(path)).rejects.toThrow(
      /is I64; Ponder reads F32, F16 and BF16/,
    );
  });

  it('a file cut in its data after the header was read', async () => {
    const path = join(work, 'cut.safetensors');
    await writeSafetensors(path, [
      { name: 'w', dtype: 'F32', shape: [4], values: new Float32Array(4) },
    ]);
    const header = await readSafetensorsHeader(path);
    await truncate(path, header.fileSize - 4);
    const read = async (): Promise<void> => {
      for await (const _ of readTensorValues(path, header.tensors[0]!)) void _;
    };
    await expect(read()).rejects.toThrow(/ended inside tensor "w"/);
  });

  it('a file shorter than its length field', async () => {
    const path = join(work, 'tiny.safetensors');
    await writeFile(path, Buffer.from([1, 2, 3]));
    await expect(readSafetensorsHeader(path)).rejects.toThrow(
      /3 bytes, shorter than its header length/,
    );
  });
});
