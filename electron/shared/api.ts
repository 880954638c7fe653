import type { AppError } from './errors';
import type { AnswerEvent } from './events';
import type { GenerationStats, MessageStatus, Role, Source } from './messages';
import type { Mode, SearchDepth } from './modes';
import type { DesktopApi } from './bridge';

/**
 * The one API the renderer talks to. Inside Electron it is carried over IPC (channels `domain:verb`,
 * see IPC_CHANNELS); in a browser over HTTP + server-sent events (see HTTP_ROUTES). Both transports
 * implement exactly this interface, so every component works the same in both.
 * Methods reject with an `AppError` object.
 */
export interface PonderApi {
  readonly transport: 'ipc' | 'http';
  health(): Promise<HealthInfo>;
  /** Starts an answer; events arrive through `onEvent` until a `done` or `error` event. */
  ask(input: AskInput, onEvent: (event: AnswerEvent) => void): AnswerHandle;
  listConversations(): Promise<ConversationSummary[]>;
  getConversation(id: string): Promise<ConversationDetail>;
  searchConversations(query: string): Promise<ConversationSearchHit[]>;
  updateConversation(id: string, patch: { title?: string; pinned?: boolean }): Promise<void>;
  deleteConversation(id: string): Promise<void>;
  /** Rates an answer, or shows this version of a regenerated answer instead of the others. */
  updateMessage(id: string, patch: MessagePatch): Promise<void>;
  exportConversations(id: string | 'all', format: 'md' | 'json'): Promise<string>;
  getSettings(): Promise<PonderSettings>;
  updateSettings(patch: Partial<PonderSettings>): Promise<PonderSettings>;
  listCatalog(): Promise<CatalogEntry[]>;
  /** Reads the chosen model's (and adapters') GGUF headers; rejects with why they cannot be used. */
  checkModelFiles(input: ModelFilesInput): Promise<ModelFileCheck>;
  /** Settings → Engine's "Test connection": what the server offers, or why it cannot be used. */
  testEngine(input: EngineTestInput): Promise<EngineTestResult>;
  downloadModel(id: string, onProgress: (progress: DownloadProgress) => void): DownloadHandle;
  /** Converts a trained PEFT adapter folder into a GGUF adapter checked against the base model. */
  importAdapter(
    input: AdapterImportInput,
    onProgress: (progress: AdapterImportProgress) => void,
  ): Promise<AdapterImportResult>;
  /** Opens an http(s)/mailto link outside the app (the system browser). */
  openExternal(url: string): Promise<void>;
  /** Present only inside the desktop app (IPC transport). */
  readonly desktop?: DesktopApi;
}

export interface AskInput {
  /** Omit (or 'new') to start a new conversation. */
  conversationId?: string;
  mode: Mode;
  text: string;
  /** Replace the last answer of the conversation instead of adding a turn. */
  regenerate?: boolean;
  /** Search's depth: `quick` (one search) or `deep` (plan, search, analyse, repeat). */
  depth?: SearchDepth;
  /** Auto: choose the mode from the question; `mode` is then only the fallback. */
  auto?: boolean;
}

export interface MessagePatch {
  /** Thumbs up (1), down (-1), or no rating (null). */
  rating?: 1 | -1 | null;
  /** Show this version of its answer (and feed it back to the model) instead of the others. */
  shown?: true;
}

export interface ModelFilesInput {
  modelPath: string;
  sftPath?: string | null;
  grpoPath?: string | null;
}

/** The remote engine's fields as typed in Settings → Engine, before they are saved. */
export interface EngineTestInput {
  url: string;
  /** The environment variable holding the key (read where Ponder runs). */
  keyEnv?: string | null;
  allowHttp?: boolean;
  timeoutSeconds?: number;
}

/** What "Test connection" found: the server's models and, on llama-server, its LoRA adapters. */
export interface EngineTestResult {
  /** The address as checked (no `/v1`); never the key. */
  url: string;
  models: string[];
  adapters: { id: number; path: string; scale: number }[] | null;
  contextSize?: number;
  /** Where the key sent came from. */
  key: 'variable' | 'keychain' | 'none';
}

/** The desktop app's saved engine key: whether the OS keychain can hold it, and whether it does. */
export interface EngineKeyStatus {
  available: boolean;
  saved: boolean;
  /** Why the keychain cannot be used (or the saved key not read), in one line. */
  reason?: string;
}

/** What the model file says about itself, once it passed the check. */
export interface ModelFileCheck {
  architecture: string;
  name?: string;
  fileType: string;
}

export interface AdapterImportInput {
  /** The folder PEFT's save_pretrained wrote (adapter_config.json, adapter_model.safetensors). */
  dir: string;
  /** The base GGUF the adapter will run on. */
  basePath: string;
}

/** Bytes of the GGUF adapter written so far. */
export interface AdapterImportProgress {
  writtenBytes: number;
  totalBytes: number;
}

/** The GGUF adapter written beside the folder, which fits `basePath`. */
export interface AdapterImportResult {
  out: string;
  bytes: number;
  /** Adapted base tensors. */
  pairs: number;
  alpha: number;
  /** Worth knowing, not stopping the import (e.g. trained on another base's name). */
  warnings: string[];
}

export interface AnswerHandle {
  cancel(): void;
  /** Settles after the final event. */
  readonly finished: Promise<void>;
}

export interface DownloadHandle {
  cancel(): void;
  /** Resolves to the saved file path. */
  readonly finished: Promise<string>;
}

export interface HealthInfo {
  /**
   * `loading` while the model loads (`loadProgress` says how far), `ready` once it answers (or, when
   * it loads on first use, once its files were checked), `error` when it cannot load (`error` says
   * why), `no-model` on first run (show the welcome screen).
   */
  status: 'ready' | 'loading' | 'no-model' | 'error';
  version: string;
  /** From 0 to 1 while `status` is `loading`. */
  loadProgress?: number;
  /** Things a person should know, e.g. a damaged database that was kept aside. */
  notices?: string[];
  model?: {
    path: string;
    architecture: string;
    gpu: string | false;
    threads: number;
    /** Why that many threads, in a sentence. */
    threadReason: string;
    contextSize: number;
    /** `native` when the llama.cpp build has Ponder's decode loop, else `javascript`. */
    decodeLoop?: 'native' | 'javascript';
    /** Where the native loop picked the last answer's top-k: `device` (the GPU) or `host`. */
    topK?: 'device' | 'host';
    /**
     * Fast modes, when set or present: the merged model each adapter's modes run on instead of
     * base + runtime LoRA (none listed: runtime LoRA), and why.
     */
    fastModes?: { models: { sft?: string; grpo?: string }; reason: string };
    /** How runtime LoRA adapters are stored (a Q8_0 copy on a GPU), and why. */
    runtimeAdapters?: { storage: 'q8_0' | 'as-given'; reason: string };
  };
  /**
   * Each mode's adapter: `sft`/`grpo` when it serves the mode, `base` when none is configured, and
   * the adapter's problem when one is configured but unusable (the mode then answers with it).
   */
  modes: {
    mode: Mode;
    adapter: string;
    adapterStatus: 'ready' | 'not-configured' | 'error' | 'unchecked';
    error?: AppError;
  }[];
  error?: AppError;
}

export interface ConversationSummary {
  id: string;
  title: string;
  created: number;
  updated: number;
  pinned: boolean;
  /** The mode of its latest question; absent before the first one. */
  mode?: Mode;
}

export interface StoredMessage {
  id: string;
  conversationId: string;
  role: Role;
  mode: Mode;
  text: string;
  reasoning: string;
  solution: string;
  sources: Source[];
  status: MessageStatus;
  stats?: Partial<GenerationStats>;
  error?: AppError;
  created: number;
  /** The person's thumbs up (1) or down (-1) on an answer. */
  rating?: 1 | -1;
  /** For a regenerated answer: the id of the first version of the same answer. */
  versionOf?: string;
  /** Another version of the same answer is the one shown. */
  superseded?: boolean;
}

export interface ConversationDetail extends ConversationSummary {
  messages: StoredMessage[];
}

/** A history search hit; the snippet comes in parts so no HTML is ever injected. */
export interface ConversationSearchHit {
  conversationId: string;
  messageId: string;
  title: string;
  snippet: { text: string; match: boolean }[];
}

export type SearchProvider = 'duckduckgo' | 'searxng' | 'local';

export interface PonderSettings {
  modelPath: string | null;
  sftPath: string | null;
  grpoPath: string | null;
  gpuLayers: number | 'auto';
  /** null: chosen automatically. */
  threads: number | null;
  contextSize: number;
  searchProvider: SearchProvider;
  searxngUrl: string | null;
  docsDir: string | null;
  topK: number;
  quickAskShortcut: string;
  defaultMode: Mode;
  closeToTray: boolean;
  /**
   * Modes on merged models (`ponder models merge`) instead of base + runtime LoRA: `auto` when
   * every merged model fits in free memory at once. Absent: auto.
   */
  fastModes?: 'auto' | 'on' | 'off';
  /** Deep Search's budgets and the self-search switch; the core fills in the defaults. */
  research?: Partial<ResearchSettingsView>;
}

/** The part of Deep Search's settings the window edits (settings.json's `research`). */
export interface ResearchSettingsView {
  /** Plan, search and analyse rounds (1–10). */
  rounds: number;
  /** Sub-questions searched in one round (1–8). */
  subQuestionsPerRound: number;
  /** Sources read in all (1–50). */
  pages: number;
  /** Tokens the model may write in all. */
  tokens: number;
  /** Time before it concludes with what it has, in milliseconds. */
  wallMs: number;
  /** A model that writes search requests in its own answer may run them (quick Search). */
  selfSearch: boolean;
}

export interface CatalogEntry {
  id: string;
  name: string;
  uri: string;
  sizeBytes: number;
  sha256?: string;
  description: string;
  /** The Hugging Face model adapters for this base are trained on, e.g. `Qwen/Qwen2.5-7B`. */
  adaptersTrainedOn?: string;
  /** Set when the file is already in the models folder. */
  localPath?: string;
}

export interface DownloadProgress {
  receivedBytes: number;
  totalBytes: number | null;
  bytesPerSecond: number;
}

/** IPC channel names for the Electron transport. */
export const IPC_CHANNELS = {
  health: 'app:health',
  ask: 'answer:ask',
  askEvent: 'answer:event',
  cancel: 'answer:cancel',
  listConversations: 'history:list',
  getConversation: 'history:get',
  searchConversations: 'history:search',
  updateConversation: 'history:update',
  deleteConversation: 'history:delete',
  updateMessage: 'history:update-message',
  exportConversations: 'history:export',
  getSettings: 'settings:get',
  updateSettings: 'settings:update',
  listCatalog: 'models:catalog',
  checkModelFiles: 'models:check',
  testEngine: 'engine:test',
  downloadModel: 'models:download',
  downloadProgress: 'models:progress',
  cancelDownload: 'models:cancel',
  importAdapter: 'adapters:import',
  importProgress: 'adapters:progress',
  openExternal: 'shell:open-external',
  modeChanged: 'app:mode-changed',
} as const;

/**
 * HTTP routes for the browser transport (all on 127.0.0.1, bearer token, JSON bodies).
 * Streaming routes answer with `text/event-stream`, one AnswerEvent (or DownloadProgress) per `data:` line;
 * closing the connection cancels.
 */
export const HTTP_ROUTES = {
  health: 'GET /api/health',
  generate: 'POST /generate',
  ask: 'POST /api/ask',
  listConversations: 'GET /api/conversations',
  searchConversations: 'GET /api/conversations/search?q=',
  getConversation: 'GET /api/conversations/:id',
  updateConversation: 'PATCH /api/conversations/:id',
  deleteConversation: 'DELETE /api/conversations/:id',
  updateMessage: 'PATCH /api/messages/:id',
  exportConversations: 'GET /api/conversations/:id/export?format=md|json',
  getSettings: 'GET /api/settings',
  updateSettings: 'PATCH /api/settings',
  listCatalog: 'GET /api/models/catalog',
  checkModelFiles: 'POST /api/models/check',
  testEngine: 'POST /api/engine/test',
  downloadModel: 'POST /api/models/download',
  importAdapter: 'POST /api/adapters/import',
  openAiChat: 'POST /v1/chat/completions',
  openAiModels: 'GET /v1/models',
} as const;
