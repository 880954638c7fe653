import { open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { PonderError } from '../../errors';
import { ggmlTensorBytes, ggmlTypeById } from './ggml-types';
import { corruptHeader, formatBytes, modelMissing, notGguf, truncated } from './gguf-errors';
import type { GgufHeader, GgufMetadata, GgufTensorInfo } from './gguf-types';
import { EndOfFile, HeaderReader } from './header-reader';
import { readGgufString, readGgufValue, readValueType, toSafeNumber } from './read-gguf-value';

export const GGUF_MAGIC = 'GGUF';
export const GGUF_DEFAULT_ALIGNMENT = 32;
/** magic, version, tensor count, metadata count. */
const FIXED_HEADER_BYTES = 24;
/** Smallest possible metadata entry: key length, a one-byte key, type, a one-byte value. */
const MIN_KV_BYTES = 8 + 1 + 4 + 1;
/** Smallest possible tensor entry: name length, dimension count, type, offset. */
const MIN_TENSOR_BYTES = 8 + 4 + 4 + 8;
/** GGML_MAX_NAME in ggml.h, including the terminating zero. */
const MAX_TENSOR_NAME = 64;
const MAX_DIMS = 4;

/**
 * Reads and validates everything in a GGUF file before its tensor data: magic, version, counts,
 * metadata and tensor table, and that every tensor's data lies inside the file. It reads only the
 * header region and fails with a one-line `model-missing` / `model-invalid` PonderError, so
 * nothing broken ever reaches llama.cpp (whose loader can hang or crash on lying headers).
 */
export async function readGgufHeader(path: string): Promise<GgufHeader> {
  const file = await openModel(path);
  try {
    const stat = await file.stat();
    if (!stat.isFile()) throw notGguf(path, 'it is not a regular file');
    const reader = new HeaderReader(file, stat.size);
    return await parseHeader(path, reader);
  } catch (error) {
    if (error instanceof EndOfFile) {
      throw truncated(
        path,
        `the header continues past the end of the file (${formatBytes(error.position + error.wanted)} needed, ${formatBytes((await file.stat()).size)} present)`,
      );
    }
    throw error;
  } finally {
    await file.close();
  }
}

async function openModel(path: string): Promise<FileHandle> {
  try {
    // Look before opening: opening a named pipe or a device blocks until someone writes to it.
    const entry = await stat(path);
    if (entry.isDirectory()) throw notGguf(path, 'it is a folder');
    if (!entry.isFile()) throw notGguf(path, 'it is not a regular file');
    return await open(path, 'r');
  } catch (error) {
    if (error instanceof PonderError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw modelMissing(path);
    if (code === 'ELOOP') {
      throw notGguf(path, 'it is a symbolic link that points to itself');
    }
    if (code === 'EISDIR') throw notGguf(path, 'it is a folder');
    if (code === 'EACCES' || code === 'EPERM') {
      throw new PonderError('model-invalid', `Cannot read ${path}: permission denied`, {
        hint: 'Check the file permissions.',
      });
    }
    throw new PonderError('model-invalid', `Cannot open ${path}: ${code ?? String(error)}`, {
      cause: error,
    });
  }
}

function describeMagic(bytes: Buffer): string {
  const text = [...bytes].map((byte) =>
    byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '?',
  );
  return JSON.stringify(text.join(''));
}

async function parseHeader(path: string, reader: HeaderReader): Promise<GgufHeader> {
  const { fileSize } = reader;
  if (fileSize === 0) throw notGguf(path, 'the file is empty');
  const magic = await reader.bytes(Math.min(4, fileSize));
  if (magic.length < 4 || magic.toString('latin1') !== GGUF_MAGIC) {
    throw notGguf(path, `bad magic ${describeMagic(magic)}, expected "GGUF"`);
  }
  if (fileSize < FIXED_HEADER_BYTES) {
    throw truncated(
      path,
      `${fileSize} bytes is shorter than a GGUF header (${FIXED_HEADER_BYTES} bytes)`,
    );
  }
  const version = await reader.u32();
  if ((version & 0xffff) === 0 && version !== 0) {
    throw corruptHeader(
      path,
      `version ${version} looks byte-swapped (big-endian GGUF is not supported)`,
    );
  }
  if (version !== 2 && version !== 3) {
    throw new PonderError(
      'model-invalid',
      `${path} uses GGUF version ${version}; Ponder reads versions 2 and 3`,
      {
        hint: 'Convert the model again with a current llama.cpp, or download a recent GGUF.',
      },
    );
  }
  const tensorCount = toSafeNumber(path, await reader.u64(), 'the tensor count');
  const kvCount = toSafeNumber(path, await reader.u64(), 'the metadata count');
  const room = fileSize - FIXED_HEADER_BYTES;
  if (tensorCount * MIN_TENSOR_BYTES + kvCount * MIN_KV_BYTES > room) {
    const maxTensors = Math.floor(room / MIN_TENSOR_BYTES);
    throw corruptHeader(
      path,
      `it claims ${tensorCount} tensors and ${kvCount} metadata entries, but a file of ${formatBytes(fileSize)} can hold at most ${maxTensors} tensors`,
    );
  }

  const metadata = await readMetadata(path, reader, kvCount);
  const alignment = readAlignment(path, metadata);
  const infos = await readTensorInfos(path, reader, tensorCount);
  const dataOffset = Math.ceil(reader.position / alignment) * alignment;
  const tensors = placeTensors(path, infos, dataOffset, alignment, fileSize);
  return { path, fileSize, version, metadata, tensors, alignment, dataOffset };
}

async function readMetadata(
  path: string,
  reader: HeaderReader,
  count: number,
): Promise<GgufMetadata> {
  const metadata: GgufMetadata = Object.create(null) as GgufMetadata;
  for (let index = 0; index < count; index++) {
    const key = await readGgufString(path, reader, `metadata key ${index}`, 1 << 16);
    if (key === '') throw corruptHeader(path, `metadata key ${index} is empty`);
    if (key in metadata) throw corruptHeader(path, `metadata key "${key}" appears twice`);
    const type = await readValueType(path, reader, key);
    metadata[key] = await readGgufValue(path, reader, type, key);
  }
  return metadata;
}

function readAlignment(path: string, metadata: GgufMetadata): number {
  const entry = metadata['general.alignment'];
  if (entry === undefined) return GGUF_DEFAULT_ALIGNMENT;
  const value = entry.value;
  if (
    entry.type !== 'uint32' ||
    typeof value !== 'number' ||
    value === 0 ||
    (value & (value - 1)) !== 0
  ) {
    throw corruptHeader(
      path,
      `general.alignment must be a power of two (uint32), got ${String(value)}`,
    );
  }
  return value;
}

interface RawTensorInfo extends Omit<GgufTensorInfo, 'fileOffset'> {
  offset: number;
}

async function readTensorInfos(
  path: string,
  reader: HeaderReader,
  count: number,
): Promise<RawTensorInfo[]> {
  const infos: RawTensorInfo[] = [];
  const names = new Set<string>();
  for (let index = 0; index < count; index++) {
    const name = await readGgufString(path, reader, `the name of tensor ${index}`, 1 << 16);
    if (Buffer.byteLength(name) >= MAX_TENSOR_NAME) {
      throw corruptHeader(
        path,
        `tensor ${index} has a ${Buffer.byteLength(name)}-byte name (at most ${MAX_TENSOR_NAME - 1})`,
      );
    }
    if (names.has(name)) throw corruptHeader(path, `tensor "${name}" appears twice`);
    names.add(name);
    const dims = await reader.u32();
    if (dims > MAX_DIMS)
      throw corruptHeader(path, `tensor "${name}" has ${dims} dimensions (at most ${MAX_DIMS})`);
    const shape: number[] = [];
    for (let dim = 0; dim < dims; dim++) {
      shape.push(toSafeNumber(path, await reader.u64(), `dimension ${dim} of tensor "${name}"`));
    }
    const typeId = await reader.u32();
    const type = ggmlTypeById(typeId);
    if (type === undefined)
      throw corruptHeader(path, `tensor "${name}" has unknown ggml type ${typeId}`);
    const rowLength = shape[0] ?? 1;
    if (rowLength % type.blockSize !== 0) {
      throw corruptHeader(
        path,
        `tensor "${name}" (${type.name}) has rows of ${rowLength}, not a multiple of its block size ${type.blockSize}`,
      );
    }
    const byteSize = ggmlTensorBytes(type, shape);
    if (!Number.isSafeInteger(byteSize)) {
      throw corruptHeader(
        path,
        `tensor "${name}" claims a shape of [${shape.join(', ')}], larger than any file`,
      );
    }
    const offset = toSafeNumber(path, await reader.u64(), `the offset of tensor "${name}"`);
    infos.push({ name, type: type.name, typeId, shape, byteSize, offset });
  }
  return infos;
}

/**
 * llama.cpp requires tensors packed in order, each padded to the alignment; a tensor whose data
 * would run past the end of the file means the download or copy stopped early.
 */
function placeTensors(
  path: string,
  infos: RawTensorInfo[],
  dataOffset: number,
  alignment: number,
  fileSize: number,
): GgufTensorInfo[] {
  let expected = 0;
  return infos.map(({ offset, ...info }) => {
    if (offset !== expected) {
      throw corruptHeader(
        path,
        `tensor "${info.name}" starts at data offset ${offset}, expected ${expected}`,
      );
    }
    const fileOffset = dataOffset + offset;
    const end = fileOffset + info.byteSize;
    if (end > fileSize) {
      throw truncated(
        path,
        `tensor "${info.name}" needs bytes ${fileOffset}–${end} but the file ends at byte ${fileSize} (${formatBytes(end - fileSize)} missing)`,
      );
    }
    expected += Math.ceil(info.byteSize / alignment) * alignment;
    return { ...info, fileOffset };
  });
}
