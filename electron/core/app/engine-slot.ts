import type { AppError } from '../../shared';
import { noModelError } from '../config';
import type { ResolvedConfig } from '../config';
import { toAppError } from '../errors';
import type { Engine, EngineOptions } from '../llm';

export type EngineFactory = (options: EngineOptions) => Promise<Engine>;

/** Settings that need the model reloaded when they change. */
const ENGINE_KEYS = [
  'modelPath',
  'sftPath',
  'grpoPath',
  'threads',
  'gpuLayers',
  'contextSize',
] as const;

export function engineOptionsFrom(config: ResolvedConfig): EngineOptions | undefined {
  if (!config.modelPath) return undefined;
  const adapters: EngineOptions['adapters'] = {};
  if (config.sftPath) adapters.sft = config.sftPath;
  if (config.grpoPath) adapters.grpo = config.grpoPath;
  return {
    modelPath: config.modelPath,
    adapters,
    contextSize: config.contextSize,
    gpuLayers: config.gpuLayers,
    ...(config.threads ? { threads: config.threads } : {}),
  };
}

/**
 * Holds the one loaded model. It is loaded on first use (or by `preload()` at start-up), shared by
 * every request, and reloaded only when a setting it depends on changes.
 */
export class EngineSlot {
  private loading: Promise<Engine> | undefined;
  private loaded: Engine | undefined;
  private lastError: AppError | undefined;
  private config: ResolvedConfig;

  constructor(
    config: ResolvedConfig,
    private readonly factory: EngineFactory,
  ) {
    this.config = config;
  }

  get(): Promise<Engine> {
    if (this.loading) return this.loading;
    const options = engineOptionsFrom(this.config);
    if (!options) return Promise.reject(noModelError());
    const attempt = this.factory(options).then(
      (engine) => {
        this.loaded = engine;
        this.lastError = undefined;
        return engine;
      },
      (error: unknown) => {
        // A failed load is not cached: fixing the file and asking again must work.
        this.loading = undefined;
        this.lastError = toAppError(error);
        throw error;
      },
    );
    this.loading = attempt;
    return attempt;
  }

  /** Starts loading in the background; errors surface on the next request and in health. */
  preload(): void {
    this.get().catch(() => undefined);
  }

  state(): { engine?: Engine; loading: boolean; error?: AppError; configured: boolean } {
    return {
      ...(this.loaded ? { engine: this.loaded } : {}),
      loading: this.loading !== undefined && this.loaded === undefined,
      ...(this.lastError ? { error: this.lastError } : {}),
      configured: Boolean(this.config.modelPath),
    };
  }

  /** Applies new settings; the model is unloaded only if one it depends on changed. */
  async reconfigure(next: ResolvedConfig): Promise<void> {
    const changed = ENGINE_KEYS.some((key) => next[key] !== this.config[key]);
    this.config = next;
    if (changed) await this.unload();
  }

  async unload(): Promise<void> {
    const pending = this.loading;
    this.loading = undefined;
    this.loaded = undefined;
    this.lastError = undefined;
    const engine = await pending?.catch(() => undefined);
    await engine?.dispose();
  }
}
