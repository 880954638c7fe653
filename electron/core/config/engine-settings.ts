import { z } from 'zod';

/**
 * Where the model runs. `local` (the default) loads the GGUF model on this computer; `remote`
 * streams every mode from an OpenAI-compatible server (vLLM, llama-server). The API key is never
 * part of these settings: the CLI reads it from the environment variable `keyEnv` names, the
 * desktop app from the OS keychain.
 */
export interface EngineSettings {
  kind: 'local' | 'remote';
  /** The server's address, e.g. http://gpu-box:8000. */
  url: string | null;
  /** The environment variable holding the API key (CLI, `--engine-key-env`). */
  keyEnv: string | null;
  /** Per mode: vLLM's adapter name (`model`) or llama-server's adapters (`lora`). */
  modes: Partial<
    Record<
      'chat' | 'reasoning' | 'search',
      { model?: string; lora?: { id: number; scale: number }[] }
    >
  >;
  /** The model name for modes that name none (default: the first one the server lists). */
  defaultModel: string | null;
  /** Plain http to a public host (it is always allowed to loopback and private hosts). */
  allowHttp: boolean;
  /** Give up on a server that sends nothing for this long. */
  timeoutSeconds: number;
  /**
   * When the desktop app last saved or forgot the key in the OS keychain (never the key): a change
   * makes a connected engine reconnect with the new key.
   */
  keyChangedAt: string | null;
}

export const DEFAULT_ENGINE_SETTINGS: Readonly<EngineSettings> = {
  kind: 'local',
  url: null,
  keyEnv: null,
  modes: {},
  defaultModel: null,
  allowHttp: false,
  timeoutSeconds: 60,
  keyChangedAt: null,
};

const modeTarget = z
  .object({
    model: z.string().min(1).max(500).optional(),
    lora: z
      .array(
        z.object({ id: z.number().int().min(0).max(10_000), scale: z.number().min(-10).max(10) }),
      )
      .max(16)
      .optional(),
  })
  .strict();

export const engineSettingsSchema = z
  .object({
    kind: z.enum(['local', 'remote']),
    url: z.url({ protocol: /^https?$/ }).nullable(),
    keyEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
      .max(200)
      .nullable(),
    modes: z
      .object({ chat: modeTarget, reasoning: modeTarget, search: modeTarget })
      .partial()
      .strict(),
    defaultModel: z.string().min(1).max(500).nullable(),
    allowHttp: z.boolean(),
    timeoutSeconds: z.number().int().min(1).max(3600),
    keyChangedAt: z.iso.datetime().nullable(),
  })
  .partial();
