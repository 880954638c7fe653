import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { env } from '@xenova/transformers';
import { PonderError } from '../../errors';

/** Download progress of one model file. */
export interface ModelFileProgress {
  file: string;
  /** 0–100 for the file being downloaded. */
  progress: number;
  loaded?: number;
  total?: number;
}

export interface ModelSourceOptions {
  /** A folder in transformers.js format; when set, nothing is downloaded. */
  modelDir?: string;
  /** Repository id to download. */
  modelId: string;
  /** Where downloads are kept. */
  cacheDir: string;
  /** Where downloads come from (transformers.js `env.remoteHost`, default the Hugging Face hub). */
  remoteHost?: string;
  /** Downloading is on unless this is false. */
  allowDownload?: boolean;
  /** The 8-bit weights (default true), as transformers.js ships them. */
  quantized?: boolean;
  onProgress?: (progress: ModelFileProgress) => void;
  /** Names the model in messages: "embedding model", "cross-encoder". */
  label: string;
  /** The option that points at a local copy, for the hint. */
  flag: string;
}

/** What a person may set about one model: the same for the embedder and the cross-encoder. */
export interface ModelChoice {
  modelDir?: string;
  modelId?: string;
  remoteHost?: string;
  allowDownload?: boolean;
  quantized?: boolean;
  onProgress?: (progress: ModelFileProgress) => void;
}

/** A model's settings with the defaults of its kind filled in. */
export function modelSource(
  choice: ModelChoice,
  kind: { modelId: string; cacheDir: string; label: string; flag: string },
): ModelSourceOptions {
  const { modelDir, modelId, remoteHost, allowDownload, quantized, onProgress } = choice;
  return {
    ...kind,
    modelId: modelId ?? kind.modelId,
    ...(modelDir ? { modelDir } : {}),
    ...(remoteHost ? { remoteHost } : {}),
    ...(allowDownload !== undefined ? { allowDownload } : {}),
    ...(quantized !== undefined ? { quantized } : {}),
    ...(onProgress ? { onProgress } : {}),
  };
}

// transformers.js reads its settings from one global object; loads run one at a time so two
// models with different settings cannot see each other's.
let loadQueue: Promise<unknown> = Promise.resolve();

/** Runs a model load after every load before it, with transformers.js configured for it. */
export function enqueueLoad<T>(
  source: ModelSourceOptions,
  load: (id: string, options: Record<string, unknown>) => Promise<T>,
): Promise<T> {
  const loading = loadQueue.then(() => {
    const { modelId, options } = configureSource(source);
    return load(modelId, options);
  });
  loadQueue = loading.catch(() => undefined);
  return loading.catch((error: unknown) => {
    throw error instanceof PonderError ? error : modelUnavailable(source, error);
  });
}

/** Sets transformers.js up to read a local folder or the download cache, and nothing else. */
function configureSource(source: ModelSourceOptions): {
  modelId: string;
  options: Record<string, unknown>;
} {
  const options: Record<string, unknown> = { quantized: source.quantized ?? true };
  let modelId: string;
  if (source.modelDir) {
    const dir = resolve(source.modelDir);
    env.localModelPath = dirname(dir) + '/';
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    modelId = basename(dir);
    options.local_files_only = true;
  } else {
    if (source.allowDownload === false) {
      throw new PonderError(
        'embedding-unavailable',
        `No ${source.label} folder is set and downloading is off.`,
        { hint: `Pass ${source.flag} DIR with a local copy of ${source.modelId}.` },
      );
    }
    // Only the cache and the remote host: a stray ./models folder must never shadow the download.
    env.allowLocalModels = false;
    env.allowRemoteModels = true;
    env.remoteHost = source.remoteHost ?? 'https://huggingface.co/';
    env.useFSCache = true;
    options.cache_dir = source.cacheDir;
    modelId = source.modelId;
  }
  const { onProgress } = source;
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
  return { modelId, options };
}

/** Why a model from the cache or the download did not load; a failed fetch says it was a download. */
function downloadReason(modelDir: string | undefined, error: unknown): string {
  const first = error instanceof Error ? (error.message.split('\n', 1)[0] ?? '') : String(error);
  return !modelDir && /fetch failed|ENOTFOUND|ECONNREFUSED|EAI_AGAIN|network/i.test(first)
    ? `it is not on this computer and could not be downloaded (${first})`
    : first;
}

/** A load failure in words a person can act on. */
export function modelUnavailable(source: ModelSourceOptions, error: unknown): PonderError {
  const { modelDir } = source;
  // transformers.js words a missing local file in terms of its own settings; say what is missing.
  const reason =
    modelDir && !existsSync(join(modelDir, 'tokenizer.json'))
      ? `${existsSync(modelDir) ? 'the folder has no tokenizer.json' : 'the folder does not exist'}`
      : downloadReason(modelDir, error);
  return new PonderError(
    'embedding-unavailable',
    `The ${source.label} ${modelDir ?? source.modelId} could not be loaded: ${reason}`,
    {
      hint: `Connect once to download it, or pass ${source.flag} DIR with a local copy.`,
      cause: error,
    },
  );
}

/** Gives up on a load after `ms`, or at once when the signal aborts. */
export function withTimeout<T>(
  work: Promise<T>,
  ms: number,
  label: string,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolvePromise, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new PonderError(
            'embedding-unavailable',
            `Loading the ${label} took longer than ${ms} ms.`,
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
