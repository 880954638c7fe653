import { open, rename, rm } from 'node:fs/promises';
import { encodeFloats } from './float-codecs';
import { SAFETENSORS_FLOAT_TYPES } from './safetensors-types';
import type { SafetensorsFloatType } from './safetensors-types';

export interface SafetensorsInput {
  name: string;
  dtype: SafetensorsFloatType;
  /** PyTorch order (rows first). */
  shape: number[];
  values: Float32Array;
}

/**
 * Writes a safetensors file as the `safetensors` library does: an 8-byte little-endian header
 * length, a JSON header padded with spaces to 8 bytes, then the tensors back to back. The file
 * appears only when complete.
 */
export async function writeSafetensors(
  path: string,
  tensors: SafetensorsInput[],
  metadata: Record<string, string> = { format: 'pt' },
): Promise<void> {
  const header: Record<string, unknown> = { __metadata__: metadata };
  const blobs: Buffer[] = [];
  let offset = 0;
  for (const tensor of tensors) {
    const bytes = encodeFloats(tensor.values, tensor.dtype);
    const expected =
      tensor.shape.reduce((product, dim) => product * dim, 1) *
      SAFETENSORS_FLOAT_TYPES[tensor.dtype];
    if (bytes.length !== expected) {
      throw new Error(
        `tensor ${tensor.name}: ${tensor.values.length} values do not fill its shape`,
      );
    }
    header[tensor.name] = {
      dtype: tensor.dtype,
      shape: tensor.shape,
      data_offsets: [offset, offset + bytes.length],
    };
    blobs.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  const partial = `${path}.writing-${process.pid}`;
  const file = await open(partial, 'w');
  try {
    await file.write(length);
    await file.write(Buffer.from(json, 'utf8'));
    for (const blob of blobs) await file.write(blob);
    await file.close();
    await rename(partial, path);
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
}
