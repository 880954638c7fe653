import type { Mode } from '../../../shared';

/**
 * Which adapter a mode runs with on the server. vLLM serves each LoRA adapter as a model of its own
 * (`--lora-modules sft=DIR`), so a mode names it; llama-server loads adapters with `--lora` and
 * picks them per request by id and scale.
 */
export interface RemoteModeTarget {
  /** The `model` field of the request: vLLM's adapter name, or the base model's name. */
  model?: string;
  /** llama-server's per-request adapters; every adapter left out runs at scale 0. */
  lora?: { id: number; scale: number }[];
}

export interface RemoteEngineOptions {
  /** The server's address, e.g. `http://127.0.0.1:8080` (a trailing `/v1` is accepted). */
  url: string;
  /** Sent as `Authorization: Bearer …`; never logged, shown or exported. */
  apiKey?: string;
  /** Per mode; a mode without a target uses `defaultModel` with the server's own adapter setting. */
  modes?: Partial<Record<Mode, RemoteModeTarget>>;
  /** The `model` field when a mode names none. @default the first model the server lists */
  defaultModel?: string;
  /** Allow plain http to a public host (it is always allowed to loopback and private hosts). */
  allowInsecureHttp?: boolean;
  /** Give up when the server sends nothing for this long, before or during the answer. @default 60000 */
  idleTimeoutMs?: number;
  /** The context size reported in info() when the server does not tell. @default 4096 */
  contextSize?: number;
}

export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
