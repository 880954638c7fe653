import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { env, pipeline } from '@xenova/transformers';
import { PonderError } from '../../errors';

export const DEFAULT_EMBEDDING_MODEL = 'Xenova/all-MiniLM-L6-v2';

const EMBED_BATCH = 8;
/** About 256 word pieces, the length all-MiniLM-L6-v2 was trained for; the rest adds cost, not meaning. */
const MAX_EMBED_CHARS = 1000;

export interface EmbeddingProgress {
  file: string;
  /** 0–100 for the file being downloaded. */
  progress: number;
  loaded?: number;
  total?: number;
}

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

// transformers.js reads its settings from one global object; loads run one at a time so two
// embedders with different settings cannot see each other's.
let loadQueue: Promise<unknown> = Promise.resolve();

function withTimeout<T>(work: Promise<T>, ms: number, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolvePromise, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new PonderError(
            'embedding-unavailable',
            `Loading the embedding model took longer than ${ms} ms.`,
          ),
        ),
      ms,
    );
    const onAbort = () => reject(new PonderError('cancelled', 'Cancelled.'));
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(resolvePromise, reject).finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    });
  });
}

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

  /** Loads the model once; later calls share the same load. Throws `embedding-unavailable`. */
  load(signal?: AbortSignal): Promise<Extractor> {
    if (this.disposed) throw new PonderError('embedding-unavailable', 'The embedder was disposed.');
    if (!this.extractor) {
      const loading = loadQueue.then(() => this.createExtractor());
      loadQueue = loading.catch(() => undefined);
      this.extractor = loading.catch((error: unknown) => {
        this.extractor = undefined;
        throw error instanceof PonderError ? error : this.unavailable(error);
      });
    }
    return withTimeout(this.extractor, this.options.loadTimeoutMs ?? 120_000, signal);
  }

  private unavailable(error: unknown): PonderError {
    const { modelDir } = this.options;
    // transformers.js words a missing local file in terms of its own settings; say what is missing.
    const reason =
      modelDir && !existsSync(join(modelDir, 'tokenizer.json'))
        ? `${existsSync(modelDir) ? 'the folder has no tokenizer.json' : 'the folder does not exist'}`
        : error instanceof Error
          ? (error.message.split('\n', 1)[0] ?? '')
          : String(error);
    const where = modelDir ?? this.options.modelId ?? DEFAULT_EMBEDDING_MODEL;
    return new PonderError(
      'embedding-unavailable',
      `The embedding model ${where} could not be loaded: ${reason}`,
      {
        hint: 'Connect once to download it, or pass --embedding-model DIR with a local copy.',
        cause: error,
      },
    );
  }

  private async createExtractor(): Promise<Extractor> {
    const { modelDir, quantized = true, onProgress } = this.options;
    let modelId: string;
    const options: Record<string, unknown> = { quantized };
    if (modelDir) {
      const dir = resolve(modelDir);
      env.localModelPath = dirname(dir) + '/';
      env.allowLocalModels = true;
      env.allowRemoteModels = false;
      modelId = basename(dir);
      options.local_files_only = true;
    } else {
      if (this.options.allowDownload === false) {
        throw new PonderError(
          'embedding-unavailable',
          'No embedding model folder is set and downloading is off.',
          {
            hint: 'Pass --embedding-model DIR with a local copy of all-MiniLM-L6-v2.',
          },
        );
      }
      // Only the cache and the remote host: a stray ./models folder must never shadow the download.
      env.allowLocalModels = false;
      env.allowRemoteModels = true;
      env.remoteHost = this.options.remoteHost ?? 'https://huggingface.co/';
      env.useFSCache = true;
      options.cache_dir = this.cacheDir;
      modelId = this.options.modelId ?? DEFAULT_EMBEDDING_MODEL;
    }
    if (onProgress) {
      options.progress_callback = (event: {
        status: string;
        file?: string;
        progress?: number;
        loaded?: number;
        total?: number;
      }) => {
        if (event.status === 'progress' && event.file) {
          onProgress({
            file: event.file,
            progress: event.progress ?? 0,
            loaded: event.loaded,
            total: event.total,
          });
        } else if (event.status === 'done' && event.file) {
          onProgress({ file: event.file, progress: 100 });
        }
      };
    }
    const extractor = await pipeline('feature-extraction', modelId, options);
    return extractor as unknown as Extractor;
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
