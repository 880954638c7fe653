import { PonderError } from '../../errors';
import type { GgmlTypeInfo } from './ggml-types';
import type { GgufArray, GgufKv, GgufValue, GgufValueType } from './gguf-types';
import { ggufValueTypeId } from './gguf-types';

/** Collects little-endian header bytes in growing chunks. */
export class ByteSink {
  readonly chunks: Buffer[] = [];
  length = 0;

  push(buffer: Buffer): void {
    this.chunks.push(buffer);
    this.length += buffer.length;
  }

  u32(value: number): void {
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32LE(value);
    this.push(buffer);
  }

  u64(value: number | bigint): void {
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64LE(BigInt(value));
    this.push(buffer);
  }

  string(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }
}

function invalid(key: string, type: GgufValueType, value: unknown): PonderError {
  return new PonderError(
    'invalid-input',
    `GGUF metadata "${key}": ${String(value)} is not a valid ${type}`,
  );
}

function scalarBytes(key: string, type: GgufValueType, value: GgufValue): Buffer {
  const number = typeof value === 'number' ? value : NaN;
  const integer = (min: number, max: number): number => {
    if (!Number.isInteger(number) || number < min || number > max) throw invalid(key, type, value);
    return number;
  };
  const buffer = Buffer.alloc(8);
  switch (type) {
    case 'uint8':
      return Buffer.from([integer(0, 0xff)]);
    case 'int8':
      buffer.writeInt8(integer(-0x80, 0x7f));
      return buffer.subarray(0, 1);
    case 'uint16':
      buffer.writeUInt16LE(integer(0, 0xffff));
      return buffer.subarray(0, 2);
    case 'int16':
      buffer.writeInt16LE(integer(-0x8000, 0x7fff));
      return buffer.subarray(0, 2);
    case 'uint32':
      buffer.writeUInt32LE(integer(0, 0xffffffff));
      return buffer.subarray(0, 4);
    case 'int32':
      buffer.writeInt32LE(integer(-0x80000000, 0x7fffffff));
      return buffer.subarray(0, 4);
    case 'float32':
      if (typeof value !== 'number') throw invalid(key, type, value);
      buffer.writeFloatLE(value);
      return buffer.subarray(0, 4);
    case 'float64':
      if (typeof value !== 'number') throw invalid(key, type, value);
      buffer.writeDoubleLE(value);
      return buffer;
    case 'uint64':
    case 'int64': {
      if (typeof value !== 'bigint' && !Number.isSafeInteger(value))
        throw invalid(key, type, value);
      const big = BigInt(value as number | bigint);
      try {
        if (type === 'uint64') buffer.writeBigUInt64LE(big);
        else buffer.writeBigInt64LE(big);
      } catch {
        throw invalid(key, type, value);
      }
      return buffer;
    }
    case 'bool':
      if (typeof value !== 'boolean') throw invalid(key, type, value);
      return Buffer.from([value ? 1 : 0]);
    case 'string': {
      if (typeof value !== 'string') throw invalid(key, type, value);
      const bytes = Buffer.from(value, 'utf8');
      const length = Buffer.alloc(8);
      length.writeBigUInt64LE(BigInt(bytes.length));
      return Buffer.concat([length, bytes]);
    }
    case 'array':
      throw invalid(key, type, 'a nested array');
  }
}

/** Appends one metadata entry (key, type, value) in GGUF encoding. */
export function encodeKv(sink: ByteSink, key: string, kv: GgufKv): void {
  sink.string(key);
  sink.u32(ggufValueTypeId(kv.type));
  if (kv.type !== 'array') {
    sink.push(scalarBytes(key, kv.type, kv.value));
    return;
  }
  const array = kv.value as GgufArray;
  if (typeof array !== 'object' || !Array.isArray(array.items))
    throw invalid(key, 'array', kv.value);
  sink.u32(ggufValueTypeId(array.itemType));
  sink.u64(array.items.length);
  const parts = array.items.map((item) => scalarBytes(key, array.itemType, item));
  sink.push(Buffer.concat(parts));
}

/** Appends one tensor-table entry. */
export function encodeTensorInfo(
  sink: ByteSink,
  name: string,
  shape: readonly number[],
  type: GgmlTypeInfo,
  offset: number,
): void {
  sink.string(name);
  sink.u32(shape.length);
  for (const dim of shape) sink.u64(dim);
  sink.u32(type.id);
  sink.u64(offset);
}
