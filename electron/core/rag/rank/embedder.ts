import { join } from 'node:path';
import { pipeline } from '@xenova/transformers';
import { PonderError } from '../../errors';
import {
  enqueueLoad,
  modelSource,
  withTimeout,
  type ModelFileProgress,
  type ModelSourceOptions,
} from './transformers-loading';

export const DEFAULT_EMBEDDING_MODEL = 'Xenova/all-MiniLM-L6-v2';

const EMBED_BATCH = 8;
/** About 256 word pieces, the length all-MiniLM-L6-v2 was trained for; the rest adds cost, not meaning. */
const MAX_EMBED_CHARS = 1000;

export type EmbeddingProgress = ModelFileProgress;

export interface EmbedderOptions {
  /** A folder in transformers.js format; when set, nothing is downloaded. */
  modelDir?: string;
  /** The app's data folder; downloads go to `<dataDir>/models/embeddings`. */
  dataDir: string;
  /** Repository id to download (default all-MiniLM-L6-v2). */
  modelId?: string;
  /** Where downloads come from (transformers.js `env.remoteHost`). */
  remoteHost?: string;
  /** Downloading is on unless this is false. */
  allowDownload?: boolean;
  /** The 8-bit weights (default true), as transformers.js ships them. */
  quantized?: boolean;
  /** Give up loading after this long (default 120 s). */
  loadTimeoutMs?: number;
  onProgress?: (progress: EmbeddingProgress) => void;
  /** Vectors kept by text, so a text embedded ahead of time is not embedded again (default 1024). */
  cacheSize?: number;
}

type Extractor = (
  texts: string[],
  options: { pooling: 'mean'; normalize: boolean },
) => Promise<{ dims: number[]; data: Float32Array }>;

/** Sentence embeddings (mean pooled, unit length) through the transformers.js pipeline. */
export class Embedder {
  private extractor: Promise<Extractor> | undefined;
  private disposed = false;
  private readonly cache = new Map<string, Float32Array>();

  constructor(private readonly options: EmbedderOptions) {}

  /** Where downloaded models are kept. */
  get cacheDir(): string {
    return join(this.options.dataDir, 'models', 'embeddings');
  }

  private get source(): ModelSourceOptions {
    return modelSource(this.options, {
      modelId: DEFAULT_EMBEDDING_MODEL,
      cacheDir: this.cacheDir,
      label: 'embedding model',
      flag: '--embedding-model',
    });
  }

  /** Loads the model once; later calls share the same load. Throws `embedding-unavailable`. */
  load(signal?: AbortSignal): Promise<Extractor> {
    if (this.disposed) throw new PonderError('embedding-unavailable', 'The embedder was disposed.');
    if (!this.extractor) {
      const loading = enqueueLoad(
        this.source,
        async (id, options) =>
          (await pipeline('feature-extraction', id, options)) as unknown as Extractor,
      );
      this.extractor = loading.catch((error: unknown) => {
        this.extractor = undefined;
        throw error;
      });
    }
    return withTimeout(
      this.extractor,
      this.options.loadTimeoutMs ?? 120_000,
      'embedding model',
      signal,
    );
  }

  /** One unit-length vector per text. */
  async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const vectors = texts.map((text) => this.cache.get(text));
    const missing = [...new Set(texts.filter((_, i) => vectors[i] === undefined))];
    if (missing.length > 0) {
      const fresh = await this.embedUncached(missing, signal);
      const limit = this.options.cacheSize ?? 1024;
      missing.forEach((text, i) => {
        const vector = fresh[i];
        if (!vector || limit <= 0) return;
        if (this.cache.size >= limit) this.cache.delete(this.cache.keys().next().value as string);
        this.cache.set(text, vector);
      });
      const byText = new Map(missing.map((text, i) => [text, fresh[i]]));
      texts.forEach((text, i) => {
        vectors[i] ??= byText.get(text);
      });
    }
    return vectors as Float32Array[];
  }

  private async embedUncached(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const extractor = await this.load(signal);
    // A batch is padded to its longest text, so texts of like length are batched together: a
    // snippet batched with page chunks would cost as much as a chunk.
    const order = texts
      .map((text, index) => ({ index, length: text.length }))
      .sort((a, b) => a.length - b.length);
    const vectors = new Array<Float32Array>(texts.length);
    for (let start = 0; start < order.length; start += EMBED_BATCH) {
      const batch = order.slice(start, start + EMBED_BATCH);
      const output = await extractor(
        batch.map((item) => (texts[item.index] ?? '').slice(0, MAX_EMBED_CHARS)),
        { pooling: 'mean', normalize: true },
      );
      signal?.throwIfAborted();
      const width = output.dims[output.dims.length - 1] ?? 0;
      batch.forEach((item, i) => {
        vectors[item.index] = output.data.slice(i * width, (i + 1) * width);
      });
    }
    return vectors;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.cache.clear();
    const loading = this.extractor;
    this.extractor = undefined;
    const extractor = await loading?.catch(() => undefined);
    const withDispose = extractor as unknown as { dispose?: () => Promise<void> } | undefined;
    await withDispose?.dispose?.();
  }
}

/** Dot product of two unit vectors, i.e. their cosine. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}
