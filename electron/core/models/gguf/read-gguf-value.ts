import { corruptHeader, formatBytes, truncated } from './gguf-errors';
import type { GgufKv, GgufValue, GgufValueType } from './gguf-types';
import { GGUF_FIXED_SIZES, GGUF_VALUE_TYPES } from './gguf-types';
import type { HeaderReader } from './header-reader';

/** No real metadata string is this long; a larger length is a lying header, not a big template. */
export const MAX_STRING_BYTES = 64 * 1024 * 1024;
/** llama.cpp's GGUF_MAX_ARRAY_ELEMENTS. */
const MAX_ARRAY_ITEMS = 1024 * 1024 * 1024;
/** Largest array Ponder will decode; tokenizer arrays of real models are a few MiB. */
const MAX_ARRAY_BYTES = 512 * 1024 * 1024;

/** Converts a 64-bit count or offset, refusing values no file of this size can mean. */
export function toSafeNumber(path: string, value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw corruptHeader(path, `${what} is ${value}, which no file can hold`);
  }
  return Number(value);
}

/**
 * Checks that `bytes` more bytes fit: a claim larger than the whole file is a corrupt header,
 * one that only runs past the end is a truncated file.
 */
export function claimBytes(path: string, reader: HeaderReader, bytes: number, what: string): void {
  if (bytes <= reader.remaining) return;
  if (bytes > reader.fileSize) {
    throw corruptHeader(
      path,
      `${what} at byte ${reader.position} claims ${formatBytes(bytes)}, more than the whole file (${formatBytes(reader.fileSize)})`,
    );
  }
  throw truncated(
    path,
    `${what} at byte ${reader.position} needs ${formatBytes(bytes)} but the file ends at byte ${reader.fileSize}`,
  );
}

export async function readGgufString(
  path: string,
  reader: HeaderReader,
  what: string,
  maxBytes = MAX_STRING_BYTES,
): Promise<string> {
  // Awaits only when the buffer runs dry, so long string arrays decode without a promise each.
  if (reader.buffered < 8) await reader.ensure(8);
  const length = reader.lengthSync();
  if (length < 0 || length > maxBytes) {
    const claim = length < 0 ? 'more than 8 PiB' : formatBytes(length);
    throw corruptHeader(
      path,
      `${what} at byte ${reader.position - 8} claims ${claim}, far more than any real one`,
    );
  }
  claimBytes(path, reader, length, what);
  if (reader.buffered < length) await reader.ensure(length);
  return reader.bytesSync(length).toString('utf8');
}

/**
 * A string wholly in the buffer and of plausible length, read without a promise; undefined leaves
 * the reader untouched for readGgufString, which fetches more or reports the problem.
 */
function readBufferedString(reader: HeaderReader): string | undefined {
  if (reader.buffered < 8) return undefined;
  const length = reader.peekLength();
  if (length < 0 || length > MAX_STRING_BYTES || reader.buffered < 8 + length) return undefined;
  reader.lengthSync();
  return reader.bytesSync(length).toString('utf8');
}

export async function readValueType(
  path: string,
  reader: HeaderReader,
  key: string,
): Promise<GgufValueType> {
  const id = await reader.u32();
  const type = GGUF_VALUE_TYPES[id];
  if (type === undefined)
    throw corruptHeader(path, `metadata "${key}" has unknown value type ${id}`);
  return type;
}

function decodeFixed(bytes: Buffer, offset: number, type: GgufValueType): GgufValue {
  switch (type) {
    case 'uint8':
      return bytes.readUInt8(offset);
    case 'int8':
      return bytes.readInt8(offset);
    case 'uint16':
      return bytes.readUInt16LE(offset);
    case 'int16':
      return bytes.readInt16LE(offset);
    case 'uint32':
      return bytes.readUInt32LE(offset);
    case 'int32':
      return bytes.readInt32LE(offset);
    case 'float32':
      return bytes.readFloatLE(offset);
    case 'float64':
      return bytes.readDoubleLE(offset);
    case 'uint64':
      return bytes.readBigUInt64LE(offset);
    case 'int64':
      return bytes.readBigInt64LE(offset);
    case 'bool':
      return bytes.readUInt8(offset) !== 0;
    default:
      throw new Error(`${type} has no fixed size`);
  }
}

async function readScalar(
  path: string,
  reader: HeaderReader,
  type: GgufValueType,
  key: string,
): Promise<GgufValue> {
  switch (type) {
    case 'uint8':
      return reader.u8();
    case 'int8':
      return reader.i8();
    case 'uint16':
      return reader.u16();
    case 'int16':
      return reader.i16();
    case 'uint32':
      return reader.u32();
    case 'int32':
      return reader.i32();
    case 'float32':
      return reader.f32();
    case 'float64':
      return reader.f64();
    case 'uint64':
      return reader.u64();
    case 'int64':
      return reader.i64();
    case 'bool':
      return (await reader.u8()) !== 0;
    case 'string':
      return readGgufString(path, reader, `the value of "${key}"`);
    case 'array':
      throw corruptHeader(path, `metadata "${key}" nests arrays, which llama.cpp cannot read`);
  }
}

/** Reads one metadata value of `type`, validating every length against the file. */
export async function readGgufValue(
  path: string,
  reader: HeaderReader,
  type: GgufValueType,
  key: string,
): Promise<GgufKv> {
  if (type !== 'array') return { type, value: await readScalar(path, reader, type, key) };
  const itemType = await readValueType(path, reader, key);
  const count = toSafeNumber(path, await reader.u64(), `the length of array "${key}"`);
  const minItemBytes = GGUF_FIXED_SIZES[itemType] ?? 8;
  if (count > MAX_ARRAY_ITEMS || count * minItemBytes > MAX_ARRAY_BYTES) {
    throw corruptHeader(path, `array "${key}" claims ${count} items, far more than any real one`);
  }
  claimBytes(path, reader, count * minItemBytes, `array "${key}"`);
  const items: GgufValue[] = new Array<GgufValue>(count);
  const fixed = GGUF_FIXED_SIZES[itemType];
  if (fixed !== undefined) {
    await reader.ensure(count * fixed);
    const bytes = reader.bytesSync(count * fixed);
    for (let index = 0; index < count; index++)
      items[index] = decodeFixed(bytes, index * fixed, itemType);
  } else if (itemType === 'string') {
    for (let index = 0; index < count; index++) {
      items[index] =
        readBufferedString(reader) ??
        (await readGgufString(path, reader, `item ${index} of "${key}"`));
    }
  } else {
    for (let index = 0; index < count; index++) {
      items[index] = await readScalar(path, reader, itemType, key);
    }
  }
  return { type: 'array', value: { itemType, items } };
}
