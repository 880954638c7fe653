import type { LlamaOptions } from 'node-llama-cpp';
import type { AdapterRole, AnswerEvent, AppError, ChatMessage, Mode } from '../../shared';

export type GpuChoice = 'auto' | 'cuda' | 'vulkan' | 'metal' | false;

export interface EngineOptions {
  /** The GGUF base model. */
  modelPath: string;
  /** LoRA adapters (GGUF) by role; a mode whose adapter is absent runs on the base model. */
  adapters?: Partial<Record<AdapterRole, string>>;
  /** Tokens of context per sequence. @default 4096 */
  contextSize?: number;
  /** Layers to offload to the GPU. @default 'auto' */
  gpuLayers?: number | 'auto';
  /** Which backend; `auto` picks CUDA, Vulkan or Metal when present, else CPU. @default 'auto' */
  gpu?: GpuChoice;
  /** CPU threads for generation. @default chosen by `chooseThreads()` */
  threads?: number;
  /**
   * Overrides for node-llama-cpp's `getLlama()` (merged over Ponder's defaults: `build: 'never'`,
   * `skipDownload: true`, quiet logs). A llama.cpp built from source with
   * `npx --no node-llama-cpp source build --gpu cuda` is found without any option; pass
   * `{ build: 'auto' }` to allow building at runtime, or `cmakeOptions` to pick that build.
   */
  llama?: LlamaOptions;
  /**
   * Tokens evaluated per llama.cpp batch; a cancel takes effect between batches of a long prompt.
   * @default node-llama-cpp's (the context size, at most 512)
   */
  batchSize?: number;
  /**
   * The app's data folder: fast modes read the merged models from its `merged/` (and their setting
   * from its settings.json when `fastModes` is not given); Q8_0 copies of runtime adapters are kept
   * in its `runtime-adapters/`. @default PONDER_DATA_DIR, else the
   * default data folder
   */
  dataDir?: string;
  /** The fastModes setting, as the app resolved it; PONDER_FAST_MODES still wins. */
  fastModes?: 'auto' | 'on' | 'off';
  /** Aborts loading (the model and the first context). */
  signal?: AbortSignal;
  /** Told how far the model file has loaded, from 0 to 1, while it loads. */
  onLoadProgress?: (progress: number) => void;
}

export interface GenerateRequest {
  mode: Mode;
  /** Earlier turns and, last, the new user message. */
  messages: ChatMessage[];
  /** Replaces the mode's default system prompt (search mode passes one carrying its sources). */
  systemPrompt?: string;
  /** @default 0.7 for chat, 0.6 for reasoning and search */
  temperature?: number;
  seed?: number;
  /** @default 1024 */
  maxTokens?: number;
  /**
   * Texts that end the reply where the model writes them (OpenAI's `stop`); the text itself is not
   * part of the reply, and the answer ends with `stopReason: 'stop-string'`.
   */
  stop?: string[];
  /**
   * A JSON schema the reply must follow: sampling is constrained by node-llama-cpp's JSON-schema
   * grammar, so even a small model writes parseable JSON (it can still be cut off by `maxTokens`).
   */
  jsonSchema?: Readonly<Record<string, unknown>>;
  signal?: AbortSignal;
  /**
   * Told after each batch of a prompt longer than one batch, with the prompt tokens in the context
   * so far. In-process only: it does not cross to a model process.
   */
  onPromptProgress?: (evaluated: number, total: number) => void;
}

export interface EngineInfo {
  modelPath: string;
  architecture: string;
  gpu: string | false;
  gpuLayers: number;
  threads: number;
  /** Why that many threads, in a sentence. */
  threadReason: string;
  contextSize: number;
  /** Adapters that passed the check against the base and serve their modes. */
  adapters: Partial<Record<AdapterRole, string>>;
  /** Adapters that were configured but cannot be used; their modes answer with this error. */
  adapterErrors: Partial<Record<AdapterRole, AppError>>;
  /** The prompt format: node-llama-cpp's chat wrapper name, or `plain` for a model without a chat template. */
  chatFormat: string;
  /** Which llama.cpp binary runs: `prebuilt` or `local build`, and the backend. */
  backend: string;
  /**
   * Which loop generates tokens: `native` (the binding's own decode loop, in builds made by
   * `npm run native:cuda` or `native:cpu`) or `javascript` (node-llama-cpp's, one round trip per token).
   */
  decodeLoop?: 'native' | 'javascript';
  /**
   * Where the native loop picked the last answer's top-k candidates: `device` (llama.cpp's backend
   * sampling, where the logits are computed: the GPU) or `host`. Absent before its first answer.
   */
  topK?: 'device' | 'host';
  /** Fast modes: the merged model each adapter role runs on instead of runtime LoRA, and why. */
  fastModes?: { models: Partial<Record<AdapterRole, string>>; reason: string };
  /** How runtime LoRA adapters are stored (a Q8_0 copy on a GPU), and why; absent without adapters. */
  runtimeAdapters?: { storage: 'q8_0' | 'as-given'; reason: string };
}

/** How long making a mode ready took, for the mode-switch benchmark. */
export interface PrepareResult {
  mode: Mode;
  adapter: AdapterRole | 'base';
  /** True when this call created the adapter's context (the first switch to it). */
  created: boolean;
  ms: number;
}

/**
 * One loaded base model serving every mode. `generate` yields `reasoning`, `solution`, `text`
 * events and ends with exactly one `done` or `error` event; it never throws for a failed request.
 *
 * Requests run one at a time: a second `generate` waits for the first to finish (its signal still
 * cancels it while it waits). Cancelling through `request.signal` stops within one token and ends
 * with `done` whose `stopReason` is `cancelled`, after the text produced so far.
 */
export interface Engine {
  generate(request: GenerateRequest): AsyncIterable<AnswerEvent>;
  /** Tokens this text takes in the model's vocabulary (for fitting history into the context). */
  countTokens(text: string): Promise<number>;
  /**
   * Makes a mode ready before its first question (creates its adapter's context once). Optional to
   * call: `generate` does the same on first use. Rejects with the adapter's error when it is unusable.
   */
  prepare(mode: Mode, signal?: AbortSignal): Promise<PrepareResult>;
  info(): EngineInfo;
  dispose(): Promise<void>;
}
