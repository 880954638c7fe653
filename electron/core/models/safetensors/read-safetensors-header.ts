import { open, stat } from 'node:fs/promises';
import { PonderError } from '../../errors';
import { escapeControlCharacters } from '../../security';
import { SAFETENSORS_FLOAT_TYPES } from './safetensors-types';
import type {
  SafetensorsFloatType,
  SafetensorsHeader,
  SafetensorsTensor,
} from './safetensors-types';

/**
 * A LoRA for a 7B model has a few hundred tensors and a header of tens of KiB; even full models
 * stay under 2 MiB. Anything far larger is refused before it is read, so a hostile length field
 * cannot make Ponder allocate gigabytes.
 */
export const MAX_SAFETENSORS_HEADER_BYTES = 16 << 20;

function invalid(path: string, detail: string): PonderError {
  return new PonderError(
    'invalid-input',
    `${path} is not a usable safetensors file: ${escapeControlCharacters(detail)}`,
    { hint: 'Save the adapter again with save_pretrained(..., safe_serialization=True).' },
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseEntry(
  path: string,
  name: string,
  entry: unknown,
  dataStart: number,
  fileSize: number,
): SafetensorsTensor {
  if (!isRecord(entry)) throw invalid(path, `tensor "${name}" has no description`);
  const { dtype, shape, data_offsets: offsets } = entry;
  if (typeof dtype !== 'string' || !(dtype in SAFETENSORS_FLOAT_TYPES)) {
    throw invalid(
      path,
      `tensor "${name}" is ${String(dtype)}; Ponder reads F32, F16 and BF16 LoRA weights`,
    );
  }
  if (!Array.isArray(shape) || !shape.every((dim) => Number.isSafeInteger(dim) && dim >= 0)) {
    throw invalid(path, `tensor "${name}" has a malformed shape`);
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((offset) => Number.isSafeInteger(offset) && offset >= 0)
  ) {
    throw invalid(path, `tensor "${name}" has malformed data_offsets`);
  }
  const [begin, end] = offsets as [number, number];
  const type = dtype as SafetensorsFloatType;
  const elements = (shape as number[]).reduce((product, dim) => product * dim, 1);
  const expected = elements * SAFETENSORS_FLOAT_TYPES[type];
  if (end < begin || end - begin !== expected) {
    throw invalid(
      path,
      `tensor "${name}" spans ${end - begin} bytes, its ${type} shape [${(shape as number[]).join(', ')}] needs ${expected}`,
    );
  }
  if (dataStart + end > fileSize) {
    throw invalid(
      path,
      `tensor "${name}" ends at byte ${dataStart + end}, past the end of the ${fileSize}-byte file (truncated?)`,
    );
  }
  return {
    name,
    dtype: type,
    shape: shape as number[],
    start: dataStart + begin,
    byteLength: expected,
  };
}

function parseMetadata(path: string, value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value) || !Object.values(value).every((item) => typeof item === 'string')) {
    throw invalid(path, '__metadata__ is not a map of strings');
  }
  return value as Record<string, string>;
}

/** Two tensors sharing bytes would let one write alias another; safetensors forbids it. */
function assertNoOverlap(path: string, tensors: SafetensorsTensor[]): void {
  const sorted = [...tensors].sort((a, b) => a.start - b.start);
  for (let index = 1; index < sorted.length; index++) {
    const previous = sorted[index - 1] as SafetensorsTensor;
    const current = sorted[index] as SafetensorsTensor;
    if (current.start < previous.start + previous.byteLength) {
      throw invalid(path, `tensors "${previous.name}" and "${current.name}" overlap`);
    }
  }
}

/**
 * Reads and validates the JSON header of a safetensors file without touching its tensor data:
 * every tensor's type, shape and byte range must agree with each other and with the file.
 * Throws `invalid-input` with one line naming the first problem.
 */
export async function readSafetensorsHeader(path: string): Promise<SafetensorsHeader> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) {
    throw new PonderError('not-found', `Adapter weights not found: ${path}`, {
      hint: 'Point at the folder save_pretrained wrote (adapter_config.json and adapter_model.safetensors).',
    });
  }
  const fileSize = info.size;
  if (fileSize < 8)
    throw invalid(path, `the file is ${fileSize} bytes, shorter than its header length`);
  const file = await open(path, 'r');
  try {
    const lengthBytes = Buffer.alloc(8);
    await file.read(lengthBytes, 0, 8, 0);
    const length = lengthBytes.readBigUInt64LE(0);
    if (length > BigInt(MAX_SAFETENSORS_HEADER_BYTES)) {
      throw invalid(
        path,
        `its header claims ${length} bytes, more than the ${MAX_SAFETENSORS_HEADER_BYTES} any adapter needs`,
      );
    }
    const headerLength = Number(length);
    if (8 + headerLength > fileSize) {
      throw invalid(
        path,
        `its header claims ${headerLength} bytes but the file has only ${fileSize - 8} after the length (truncated?)`,
      );
    }
    const headerBytes = Buffer.alloc(headerLength);
    await file.read(headerBytes, 0, headerLength, 8);
    let parsed: unknown;
    try {
      parsed = JSON.parse(headerBytes.toString('utf8'));
    } catch {
      throw invalid(path, 'its header is not JSON');
    }
    if (!isRecord(parsed)) throw invalid(path, 'its header is not a JSON object');
    const dataStart = 8 + headerLength;
    const tensors: SafetensorsTensor[] = [];
    for (const [name, entry] of Object.entries(parsed)) {
      if (name === '__metadata__') continue;
      tensors.push(parseEntry(path, name, entry, dataStart, fileSize));
    }
    assertNoOverlap(path, tensors);
    return {
      path,
      fileSize,
      dataStart,
      tensors,
      metadata: parseMetadata(path, parsed.__metadata__),
    };
  } finally {
    await file.close();
  }
}
