import { open } from 'node:fs/promises';
import { PonderError } from '../../errors';
import { decodeFloats } from './float-codecs';
import { SAFETENSORS_FLOAT_TYPES } from './safetensors-types';
import type { SafetensorsTensor } from './safetensors-types';

/** 4 MiB reads: large enough to be fast, small enough that a GB adapter never sits in memory. */
const CHUNK_BYTES = 4 << 20;

/**
 * Streams one tensor's values as float32 chunks, in file order (row-major), reading at most
 * CHUNK_BYTES at a time. Throws `invalid-input` if the file ends early (changed since its header
 * was read).
 */
export async function* readTensorValues(
  path: string,
  tensor: SafetensorsTensor,
): AsyncGenerator<Float32Array> {
  const elementSize = SAFETENSORS_FLOAT_TYPES[tensor.dtype];
  const chunkBytes = CHUNK_BYTES - (CHUNK_BYTES % elementSize);
  const file = await open(path, 'r');
  try {
    let done = 0;
    while (done < tensor.byteLength) {
      const size = Math.min(chunkBytes, tensor.byteLength - done);
      const buffer = Buffer.alloc(size);
      const { bytesRead } = await file.read(buffer, 0, size, tensor.start + done);
      if (bytesRead !== size) {
        throw new PonderError(
          'invalid-input',
          `${path} ended inside tensor "${tensor.name}"; it changed or was cut while being read`,
          { hint: 'Copy the adapter folder again and retry.' },
        );
      }
      done += size;
      yield decodeFloats(buffer, tensor.dtype);
    }
  } finally {
    await file.close();
  }
}
