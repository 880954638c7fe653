/**
 * GGUF writer: `writeGguf(path, { metadata, tensors })` writes a GGUF v3 file that llama.cpp loads.
 *
 * - metadata: `{ key: GgufKv | string | boolean | string[] }`. Numbers always carry their GGUF type
 *   (`kv.uint32(320)`, `kv.float32(1e-6)`), because llama.cpp asserts the type of keys it reads
 *   (e.g. `adapter.lora.alpha` must be float32). 64-bit integers take a number or a bigint.
 * - tensors, in file order: `{ name, shape, type, values | bytes }`. `shape` is in ggml order
 *   (shape[0] = row length); `type` a ggml type name (`F32`, `F16`, `Q4_K`, ...).
 *   `values` (F32/F16 only): a Float32Array, or a function returning (async) iterable chunks of
 *   Float32Array, converted to the tensor's type. `bytes` (any type): pre-encoded data as a
 *   Uint8Array or a function returning (async) iterable Uint8Array chunks. Producers are called
 *   only when their tensor is written, so a multi-gigabyte model streams to disk a few MiB at a
 *   time; the bytes produced must add up exactly to the size the type and shape imply.
 * - alignment: `general.alignment` from the metadata, else `alignment`, else 32. Each tensor's
 *   data starts aligned and is zero-padded, as gguf.cpp writes it.
 * - The file appears at `path` only when complete (written beside it, then renamed); `signal`
 *   aborts and removes the partial file; `onProgress(written, total)` reports bytes.
 */
import { open, rename, rm } from 'node:fs/promises';
import { PonderError } from '../../errors';
import { ggmlTensorBytes, ggmlTypeByName } from './ggml-types';
import type { GgmlTypeInfo } from './ggml-types';
import { ByteSink, encodeKv, encodeTensorInfo } from './encode-gguf-header';
import { toFloat16Bits } from './float16';
import type { GgufKv, GgufValue, GgufValueType } from './gguf-types';

export type Chunks<T> = Iterable<T> | AsyncIterable<T>;

export interface GgufTensorInput {
  name: string;
  /** ggml order: shape[0] is the row length. */
  shape: number[];
  /** ggml type name, e.g. `F32`, `F16`, `Q4_K`. */
  type: string;
  /** F32/F16 tensors: the values, whole or as a producer of chunks. */
  values?: Float32Array | (() => Chunks<Float32Array>);
  /** Any type: pre-encoded bytes, whole or as a producer of chunks. */
  bytes?: Uint8Array | (() => Chunks<Uint8Array>);
}

export type GgufMetadataInput = Record<string, GgufKv | string | boolean | string[]>;

export interface WriteGgufOptions {
  metadata: GgufMetadataInput;
  tensors: GgufTensorInput[];
  /** @default general.alignment from metadata, else 32 */
  alignment?: number;
  signal?: AbortSignal;
  onProgress?: (written: number, total: number) => void;
}

/** Typed metadata values: `kv.uint32(1)`, `kv.array('string', tokens)`. */
export const kv = {
  uint8: (value: number): GgufKv => ({ type: 'uint8', value }),
  int8: (value: number): GgufKv => ({ type: 'int8', value }),
  uint16: (value: number): GgufKv => ({ type: 'uint16', value }),
  int16: (value: number): GgufKv => ({ type: 'int16', value }),
  uint32: (value: number): GgufKv => ({ type: 'uint32', value }),
  int32: (value: number): GgufKv => ({ type: 'int32', value }),
  float32: (value: number): GgufKv => ({ type: 'float32', value }),
  float64: (value: number): GgufKv => ({ type: 'float64', value }),
  uint64: (value: number | bigint): GgufKv => ({ type: 'uint64', value: BigInt(value) }),
  int64: (value: number | bigint): GgufKv => ({ type: 'int64', value: BigInt(value) }),
  bool: (value: boolean): GgufKv => ({ type: 'bool', value }),
  string: (value: string): GgufKv => ({ type: 'string', value }),
  array: (itemType: GgufValueType, items: GgufValue[]): GgufKv => ({
    type: 'array',
    value: { itemType, items },
  }),
};

function toKv(value: GgufKv | string | boolean | string[]): GgufKv {
  if (typeof value === 'string') return kv.string(value);
  if (typeof value === 'boolean') return kv.bool(value);
  if (Array.isArray(value)) return kv.array('string', value);
  return value;
}

const pad = (size: number, alignment: number): number => Math.ceil(size / alignment) * alignment;

interface PlannedTensor {
  input: GgufTensorInput;
  type: GgmlTypeInfo;
  byteSize: number;
}

function plan(tensor: GgufTensorInput): PlannedTensor {
  const type = ggmlTypeByName(tensor.type);
  const fail = (detail: string): PonderError =>
    new PonderError('invalid-input', `GGUF tensor "${tensor.name}": ${detail}`);
  if (!type) throw fail(`unknown ggml type ${tensor.type}`);
  if (tensor.shape.length === 0 || tensor.shape.length > 4) throw fail('needs 1 to 4 dimensions');
  if (tensor.shape.some((dim) => !Number.isSafeInteger(dim) || dim < 0)) throw fail('bad shape');
  if ((tensor.shape[0] ?? 0) % type.blockSize !== 0) {
    throw fail(`rows of ${tensor.shape[0]} are not a multiple of the ${type.name} block size`);
  }
  if ((tensor.values === undefined) === (tensor.bytes === undefined)) {
    throw fail('give exactly one of values and bytes');
  }
  if (tensor.values !== undefined && type.name !== 'F32' && type.name !== 'F16') {
    throw fail(`values convert only to F32 or F16; pass ${type.name} data as bytes`);
  }
  return { input: tensor, type, byteSize: ggmlTensorBytes(type, tensor.shape) };
}

function encodeFloats(values: Float32Array, type: GgmlTypeInfo): Uint8Array {
  if (type.name === 'F32')
    return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = Buffer.alloc(values.length * 2);
  for (let index = 0; index < values.length; index++) {
    out.writeUInt16LE(toFloat16Bits(values[index] ?? 0), index * 2);
  }
  return out;
}

async function* tensorChunks({ input, type }: PlannedTensor): AsyncGenerator<Uint8Array> {
  if (input.bytes instanceof Uint8Array) {
    yield input.bytes;
  } else if (input.bytes) {
    yield* input.bytes();
  } else if (input.values instanceof Float32Array) {
    yield encodeFloats(input.values, type);
  } else if (input.values) {
    for await (const chunk of input.values()) yield encodeFloats(chunk, type);
  }
}

/** Writes a GGUF file; see the file header for the API. Returns the file's size in bytes. */
export async function writeGguf(path: string, options: WriteGgufOptions): Promise<number> {
  const metadata = Object.entries(options.metadata).map(
    ([key, value]) => [key, toKv(value)] as const,
  );
  const alignmentKv = metadata.find(([key]) => key === 'general.alignment')?.[1];
  const alignment =
    typeof alignmentKv?.value === 'number' ? alignmentKv.value : (options.alignment ?? 32);
  if (!Number.isInteger(alignment) || alignment <= 0 || (alignment & (alignment - 1)) !== 0) {
    throw new PonderError('invalid-input', `GGUF alignment ${alignment} is not a power of two`);
  }
  if (alignmentKv === undefined && alignment !== 32) {
    metadata.push(['general.alignment', kv.uint32(alignment)]);
  }
  const planned = options.tensors.map(plan);

  const header = new ByteSink();
  header.push(Buffer.from('GGUF', 'latin1'));
  header.u32(3);
  header.u64(planned.length);
  header.u64(metadata.length);
  for (const [key, value] of metadata) encodeKv(header, key, value);
  let offset = 0;
  for (const tensor of planned) {
    encodeTensorInfo(header, tensor.input.name, tensor.input.shape, tensor.type, offset);
    offset += pad(tensor.byteSize, alignment);
  }
  const dataStart = pad(header.length, alignment);
  header.push(Buffer.alloc(dataStart - header.length));
  const total = dataStart + offset;

  const partial = `${path}.writing-${process.pid}`;
  const file = await open(partial, 'w');
  const out = new BufferedFile(file, options.onProgress, total);
  try {
    for (const chunk of header.chunks) await out.write(chunk);
    for (const tensor of planned) {
      let written = 0;
      for await (const chunk of tensorChunks(tensor)) {
        options.signal?.throwIfAborted();
        written += chunk.byteLength;
        if (written > tensor.byteSize) break;
        await out.write(chunk);
      }
      if (written !== tensor.byteSize) {
        throw new PonderError(
          'invalid-input',
          `GGUF tensor "${tensor.input.name}" produced ${written} bytes, its ${tensor.type.name} shape [${tensor.input.shape.join(', ')}] needs ${tensor.byteSize}`,
        );
      }
      await out.write(Buffer.alloc(pad(tensor.byteSize, alignment) - tensor.byteSize));
    }
    await out.flush();
    await file.close();
    await rename(partial, path);
    return total;
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
}

/** Gathers small writes into 4 MiB ones. */
class BufferedFile {
  private readonly buffer = Buffer.alloc(4 << 20);
  private used = 0;
  private written = 0;

  constructor(
    private readonly file: Awaited<ReturnType<typeof open>>,
    private readonly onProgress: ((written: number, total: number) => void) | undefined,
    private readonly total: number,
  ) {}

  async write(chunk: Uint8Array): Promise<void> {
    let from = 0;
    while (from < chunk.byteLength) {
      const take = Math.min(chunk.byteLength - from, this.buffer.length - this.used);
      this.buffer.set(chunk.subarray(from, from + take), this.used);
      this.used += take;
      from += take;
      if (this.used === this.buffer.length) await this.flush();
    }
  }

  async flush(): Promise<void> {
    let done = 0;
    while (done < this.used) {
      const { bytesWritten } = await this.file.write(this.buffer, done, this.used - done);
      done += bytesWritten;
    }
    this.written += this.used;
    this.used = 0;
    this.onProgress?.(this.written, this.total);
  }
}
