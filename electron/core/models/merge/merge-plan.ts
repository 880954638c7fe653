import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertAdapterFits } from '../gguf/assert-adapter-fits';
import { ggmlTensorBytes, ggmlTypeByName } from '../gguf/ggml-types';
import { metadataNumber } from '../gguf/gguf-metadata';
import { readGgufSummary } from '../gguf/gguf-summary';
import type { GgufSummary } from '../gguf/gguf-summary';
import { readGgufHeader } from '../gguf/read-gguf-header';

/** The llama.cpp tools a merge runs, and what identifies their build. */
export interface MergeTools {
  exportLora: string;
  quantize: string;
  /** Changes whenever the tools' source or build options change (part of the cache key). */
  version: string;
}

export interface MergePlan {
  base: GgufSummary;
  adapter: GgufSummary;
  /** Cache folder for this base, adapter and tools version. */
  dir: string;
  key: string;
  /** SHA-256 of the base's and the adapter's content. */
  baseHash: string;
  adapterHash: string;
  /** `general.file_type` of the base (llama_ftype), passed to llama-quantize as the target. */
  baseFileType: number;
  baseFileTypeLabel: string;
  /** llama-export-lora's output: merged tensors in F16 (F32 where the base has F32), others copied. */
  intermediateBytes: number;
  /** The requantised model: the base's size (same types, same tensors). */
  outputBytes: number;
  /** Parameters in the base (elements of every tensor). */
  parameters: number;
}

export const INTERMEDIATE_FILE = 'export-lora.gguf';
export const MERGED_FILE = 'merged.gguf';
export const QUALITY_FILE = 'quality.json';

interface HashCacheEntry {
  size: number;
  mtimeMs: number;
  sha256: string;
}

/**
 * SHA-256 of a file's content, remembered in `<cacheRoot>/hashes.json` by path, size and mtime so a
 * multi-gigabyte base is read once, not on every start.
 */
export async function contentHash(file: string, cacheRoot: string): Promise<string> {
  const info = await stat(file);
  const record = join(cacheRoot, 'hashes.json');
  let known: Record<string, HashCacheEntry> = {};
  try {
    known = JSON.parse(await readFile(record, 'utf8')) as Record<string, HashCacheEntry>;
  } catch {
    known = {};
  }
  const entry = known[file];
  if (entry && entry.size === info.size && entry.mtimeMs === info.mtimeMs) return entry.sha256;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 22 }))
    hash.update(chunk as Buffer);
  const sha256 = hash.digest('hex');
  known[file] = { size: info.size, mtimeMs: info.mtimeMs, sha256 };
  await mkdir(cacheRoot, { recursive: true });
  const temporary = `${record}.${process.pid}-${randomUUID()}.tmp`;
  await writeFile(temporary, `${JSON.stringify(known, null, 2)}\n`);
  await rename(temporary, record);
  return sha256;
}

/**
 * Reads both headers, refuses an adapter that does not fit the base (one line, `adapter-mismatch`),
 * and works out the cache folder and the disk the merge needs. Sizes come from the base's tensor
 * table: llama-export-lora writes every adapted tensor as F16 (F32 when the base's is F32) and
 * copies the rest as they are; llama-quantize then writes the base's types again.
 */
export async function planMerge(options: {
  basePath: string;
  adapterPath: string;
  cacheRoot: string;
  tools: MergeTools;
}): Promise<MergePlan> {
  const base = await readGgufSummary(options.basePath);
  const adapter = await readGgufSummary(options.adapterPath);
  assertAdapterFits(base, adapter);
  const header = await readGgufHeader(options.basePath);
  const adapted = new Set((adapter.adapter?.targets ?? []).map((target) => target.name));
  let intermediateBytes = header.dataOffset;
  let parameters = 0;
  for (const tensor of header.tensors) {
    const elements = tensor.shape.reduce((product, dim) => product * dim, 1);
    parameters += elements;
    const outType = tensor.type === 'F32' ? 'F32' : 'F16';
    const bytes = adapted.has(tensor.name)
      ? ggmlTensorBytes(ggmlTypeByName(outType)!, tensor.shape)
      : tensor.byteSize;
    intermediateBytes += Math.ceil(bytes / header.alignment) * header.alignment;
  }
  const baseFileType = metadataNumber(base.metadata, 'general.file_type') ?? 1;
  // One after the other: both update the same hashes.json.
  const baseHash = await contentHash(options.basePath, options.cacheRoot);
  const adapterHash = await contentHash(options.adapterPath, options.cacheRoot);
  const key = createHash('sha256')
    .update(`base:${baseHash}\nadapter:${adapterHash}\ntools:${options.tools.version}\n`)
    .digest('hex')
    .slice(0, 24);
  return {
    base,
    adapter,
    dir: join(options.cacheRoot, key),
    key,
    baseHash,
    adapterHash,
    baseFileType,
    baseFileTypeLabel: base.fileType,
    intermediateBytes,
    outputBytes: base.fileSize,
    parameters,
  };
}
