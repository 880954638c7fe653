import { join } from 'node:path';
import { AutoModelForSequenceClassification, AutoTokenizer } from '@xenova/transformers';
import { PonderError } from '../../errors';
import type { Reranker } from './reranker';
import {
  enqueueLoad,
  modelSource,
  withTimeout,
  type ModelFileProgress,
  type ModelSourceOptions,
} from './transformers-loading';

/** The cross-encoder AnythingLLM and others use to re-read passages against the question. */
export const DEFAULT_RERANKER_MODEL = 'Xenova/ms-marco-MiniLM-L-6-v2';

/** Pairs scored per model call; a batch is padded to its longest pair. */
const RERANK_BATCH = 8;
/** About 512 word pieces for question and passage together: the model's window. */
const MAX_PASSAGE_CHARS = 1800;

export interface CrossEncoderOptions {
  /** A folder in transformers.js format; when set, nothing is downloaded. */
  modelDir?: string;
  /** The app's data folder; downloads go to `<dataDir>/models/rerankers`. */
  dataDir: string;
  modelId?: string;
  remoteHost?: string;
  allowDownload?: boolean;
  quantized?: boolean;
  loadTimeoutMs?: number;
  onProgress?: (progress: ModelFileProgress) => void;
}

type Tokenizer = (
  text: string[],
  options: { text_pair: string[]; padding: boolean; truncation: boolean },
) => Record<string, unknown>;
type Classifier = ((
  inputs: Record<string, unknown>,
) => Promise<{ logits: { data: Float32Array; dims: number[] } }>) & {
  dispose?: () => Promise<void>;
};

interface Loaded {
  tokenizer: Tokenizer;
  model: Classifier;
}

/**
 * A cross-encoder (BERT reading question and passage together, one relevance logit out) through
 * transformers.js, loaded like the embedder: from a local folder, or downloaded once into the
 * data folder with progress; offline without a copy, it is unavailable and ranking says so.
 */
export class CrossEncoder implements Reranker {
  private loaded: Promise<Loaded> | undefined;
  private disposed = false;

  constructor(private readonly options: CrossEncoderOptions) {}

  get cacheDir(): string {
    return join(this.options.dataDir, 'models', 'rerankers');
  }

  private get source(): ModelSourceOptions {
    return modelSource(this.options, {
      modelId: DEFAULT_RERANKER_MODEL,
      cacheDir: this.cacheDir,
      label: 'cross-encoder',
      flag: '--reranker-model',
    });
  }

  load(signal?: AbortSignal): Promise<Loaded> {
    if (this.disposed)
      throw new PonderError('embedding-unavailable', 'The cross-encoder was closed.');
    if (!this.loaded) {
      const loading = enqueueLoad(this.source, async (id, options) => ({
        tokenizer: (await AutoTokenizer.from_pretrained(id, options)) as unknown as Tokenizer,
        model: (await AutoModelForSequenceClassification.from_pretrained(
          id,
          options,
        )) as unknown as Classifier,
      }));
      this.loaded = loading.catch((error: unknown) => {
        this.loaded = undefined;
        throw error;
      });
    }
    return withTimeout(this.loaded, this.options.loadTimeoutMs ?? 120_000, 'cross-encoder', signal);
  }

  /** One relevance logit per passage: higher answers the question better. */
  async score(question: string, passages: string[], signal?: AbortSignal): Promise<number[]> {
    if (passages.length === 0) return [];
    const { tokenizer, model } = await this.load(signal);
    const scores: number[] = [];
    for (let start = 0; start < passages.length; start += RERANK_BATCH) {
      const batch = passages
        .slice(start, start + RERANK_BATCH)
        .map((p) => p.slice(0, MAX_PASSAGE_CHARS));
      const inputs = tokenizer(
        batch.map(() => question),
        { text_pair: batch, padding: true, truncation: true },
      );
      const { logits } = await model(inputs);
      signal?.throwIfAborted();
      const width = logits.dims[logits.dims.length - 1] ?? 1;
      // One logit per pair; a two-class head scores by its "relevant" class.
      for (let i = 0; i < batch.length; i++) scores.push(logits.data[i * width + width - 1] ?? 0);
    }
    return scores;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const loading = this.loaded;
    this.loaded = undefined;
    const loaded = await loading?.catch(() => undefined);
    await loaded?.model.dispose?.();
  }
}
