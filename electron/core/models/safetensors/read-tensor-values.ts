import { PonderError } from '../../errors';
import { readFileRange } from '../read-file-range';
import { decodeFloats } from './float-codecs';
import { SAFETENSORS_FLOAT_TYPES } from './safetensors-types';
import type { SafetensorsTensor } from './safetensors-types';

/**
 * Streams one tensor's values as float32 chunks, in file order (row-major), reading at most 4 MiB
 * at a time. Throws `invalid-input` if the file ends early (changed since its header was read).
 */
export async function* readTensorValues(
  path: string,
  tensor: SafetensorsTensor,
): AsyncGenerator<Float32Array> {
  const chunks = readFileRange(path, tensor.start, tensor.byteLength, {
    unitBytes: SAFETENSORS_FLOAT_TYPES[tensor.dtype],
    shortRead: () =>
      new PonderError(
        'invalid-input',
        `${path} ended inside tensor "${tensor.name}"; it changed or was cut while being read`,
        { hint: 'Copy the adapter folder again and retry.' },
      ),
  });
  for await (const buffer of chunks) yield decodeFloats(buffer, tensor.dtype);
}
