import { access } from 'node:fs/promises';
import { PonderError } from '../../errors';
import { metadataNumber } from '../gguf/gguf-metadata';
import type { GgufSummary, GgufTensorSummary } from '../gguf/gguf-summary';
import { readGgufHeader } from '../gguf/read-gguf-header';

const FIRST_PART = /-00001-of-(\d{5})\.gguf$/;

/**
 * Every tensor of the base model. A split model (Qwen's own 7B GGUF comes in two parts) lists
 * only its first part's tensors in the first file, so the other parts named
 * `…-0000K-of-0000N.gguf` beside it are read too.
 */
export async function readBaseTensors(base: GgufSummary): Promise<GgufTensorSummary[]> {
  const count = metadataNumber(base.metadata, 'split.count') ?? 1;
  if (count <= 1) return base.tensors;
  const match = FIRST_PART.exec(base.path);
  if (!match) {
    throw new PonderError(
      'invalid-input',
      `${base.path} is part of a split model (${count} parts) but is not named …-00001-of-${String(count).padStart(5, '0')}.gguf.`,
      { hint: 'Pass the first part with its original name; the other parts must sit beside it.' },
    );
  }
  const tensors = [...base.tensors];
  for (let part = 2; part <= count; part++) {
    const path = base.path.replace(
      FIRST_PART,
      `-${String(part).padStart(5, '0')}-of-${match[1] as string}.gguf`,
    );
    const found = await access(path).then(
      () => true,
      () => false,
    );
    if (!found) {
      throw new PonderError(
        'not-found',
        `Part ${part} of ${count} of the base model is missing: ${path}`,
        {
          hint: 'Download every part of the model into the same folder.',
        },
      );
    }
    const header = await readGgufHeader(path);
    tensors.push(...header.tensors.map(({ name, type, shape }) => ({ name, type, shape })));
  }
  return tensors;
}
