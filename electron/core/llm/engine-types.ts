import type { AdapterRole, AnswerEvent, ChatMessage, Mode } from '../../shared';

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
  signal?: AbortSignal;
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
  adapters: Partial<Record<AdapterRole, string>>;
}

/**
 * One loaded base model serving every mode. `generate` yields `reasoning`, `solution`, `text`
 * events and ends with exactly one `done` or `error` event; it never throws for a failed request.
 */
export interface Engine {
  generate(request: GenerateRequest): AsyncIterable<AnswerEvent>;
  /** Tokens this text takes in the model's vocabulary (for fitting history into the context). */
  countTokens(text: string): Promise<number>;
  info(): EngineInfo;
  dispose(): Promise<void>;
}
