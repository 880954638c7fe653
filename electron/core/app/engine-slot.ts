import type { AppError } from '../../shared';
import { noModelError } from '../config';
import type { ResolvedConfig } from '../config';
import { toAppError } from '../errors';
import type { Engine, EngineOptions } from '../llm';
import { checkModelFiles } from '../llm/check-model-files';
import type { CheckedFiles } from '../llm/check-model-files';

export type EngineFactory = (options: EngineOptions) => Promise<Engine>;

/** Settings that need the model reloaded when they change. */
const ENGINE_KEYS = [
  'modelPath',
  'sftPath',
  'grpoPath',
  'threads',
  'gpuLayers',
  'contextSize',
  // The engine chooses merged models or runtime LoRA when it loads.
  'fastModes',
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
    dataDir: config.dataDir,
    ...(config.fastModes ? { fastModes: config.fastModes } : {}),
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
  private checked: CheckedFiles | undefined;
  private progress: number | undefined;
  private readonly progressListeners = new Set<(progress: number) => void>();
  private config: ResolvedConfig;

  constructor(
    config: ResolvedConfig,
    private readonly factory: EngineFactory,
  ) {
    this.config = config;
  }

  /**
   * The loaded engine, loading it first if needed. `onLoadProgress` hears the load's progress (the
   * latest step at once when joining a load under way); it is not called when the model is loaded.
   */
  get(onLoadProgress?: (progress: number) => void): Promise<Engine> {
    if (this.loaded) return Promise.resolve(this.loaded);
    if (!this.loading) {
      const options = engineOptionsFrom(this.config);
      if (!options) return Promise.reject(noModelError());
      this.loading = this.load(options);
      this.progress = 0;
    }
    if (onLoadProgress) {
      if (this.progress !== undefined) onLoadProgress(this.progress);
      this.progressListeners.add(onLoadProgress);
      const stop = (): void => void this.progressListeners.delete(onLoadProgress);
      this.loading.then(stop, stop);
    }
    return this.loading;
  }

  /**
   * Starts a load. Progress is reported from 0 at the start to 1 once loaded, rising in steps of at
   * least 1% in between: node-llama-cpp may deliver its own steps late (a tiny model's arrive after
   * the load resolved), so the two ends are reported here rather than left to it.
   */
  private load(options: EngineOptions): Promise<Engine> {
    this.progress = undefined;
    const report = (progress: number): void => {
      if (this.loading !== attempt || this.loaded) return;
      const previous = this.progress;
      if (previous !== undefined && progress < 1 && progress - previous < 0.01) return;
      this.progress = progress;
      for (const listener of this.progressListeners) listener(progress);
    };
    const attempt: Promise<Engine> = this.factory({
      ...options,
      onLoadProgress: (progress) => report(Math.min(1, Math.max(0, progress))),
    }).then(
      (engine) => {
        if (this.loading === attempt) {
          if (this.progress !== 1) report(1);
          this.loaded = engine;
          this.lastError = undefined;
        }
        return engine;
      },
      (error: unknown) => {
        // A failed load is not cached: fixing the file and asking again must work.
        if (this.loading === attempt) {
          this.loading = undefined;
          this.lastError = toAppError(error);
        }
        throw error;
      },
    );
    return attempt;
  }

  /**
   * Reads the headers of the configured model and adapters, as loading does first, without loading
   * anything. Throws the base model's problem (`model-missing`, `model-invalid`); an unusable
   * adapter is recorded for `state()` and only disables its modes. Resolves when no model is set.
   */
  async check(): Promise<void> {
    const options = engineOptionsFrom(this.config);
    if (!options) return;
    try {
      this.checked = await checkModelFiles(options.modelPath, options.adapters);
    } catch (error) {
      this.lastError = toAppError(error);
      throw error;
    }
  }

  /** Starts loading in the background; errors surface on the next request and in health. */
  preload(): void {
    this.get().catch(() => undefined);
  }

  state(): {
    engine?: Engine;
    loading: boolean;
    /** How far the load under way got, 0 to 1. */
    progress?: number;
    error?: AppError;
    configured: boolean;
    /** The file check's result, when `check()` ran for the current settings. */
    checked?: CheckedFiles;
  } {
    const loading = this.loading !== undefined && this.loaded === undefined;
    return {
      ...(this.loaded ? { engine: this.loaded } : {}),
      loading,
      ...(loading && this.progress !== undefined ? { progress: this.progress } : {}),
      ...(this.lastError ? { error: this.lastError } : {}),
      configured: Boolean(this.config.modelPath),
      ...(this.checked ? { checked: this.checked } : {}),
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
    this.checked = undefined;
    this.progress = undefined;
    const engine = await pending?.catch(() => undefined);
    await engine?.dispose();
  }
}
