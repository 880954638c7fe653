import { join } from 'node:path';
import type { AdapterRole } from '../../shared';
import { defaultDataDir } from '../config/data-dir';
import { q8AdapterCopy } from '../models/runtime-adapter/q8-adapter-copy';

/**
 * How runtime LoRA adapters are stored when a mode uses one: `q8_0` (a Q8_0 copy of the adapter's
 * float matrices, made once into the data folder), `as-given`, or `auto`: Q8_0 when the model runs
 * on a GPU, as given on the CPU. Measured (bench/README.md, "Runtime adapters as Q8_0"): on an H200
 * a Q8_0 adapter keeps 63–124 MB less host memory resident and decodes at 0.70 of the base's speed
 * instead of 0.57; on the 2-core CPU both decode alike (0.70 against 0.71–0.77) and the copy saves
 * ~25 MB, too little to change the adapter's numbers for.
 */
export type AdapterStorage = 'auto' | 'q8_0' | 'as-given';

const STORAGES: readonly AdapterStorage[] = ['auto', 'q8_0', 'as-given'];

/** `PONDER_ADAPTER_STORAGE` (for comparisons), else `auto`. */
export function adapterStorageSetting(env: NodeJS.ProcessEnv = process.env): AdapterStorage {
  const value = env.PONDER_ADAPTER_STORAGE;
  return value && (STORAGES as readonly string[]).includes(value)
    ? (value as AdapterStorage)
    : 'auto';
}

export interface RuntimeAdaptersInfo {
  storage: 'q8_0' | 'as-given';
  reason: string;
}

/** The file each role's runtime LoRA is loaded from: the adapter, or its Q8_0 copy. */
export class RuntimeAdapters {
  private readonly paths = new Map<AdapterRole, Promise<string>>();
  private readonly quantize: boolean;
  private readonly cacheRoot: string;
  private reason: string;

  constructor(
    private readonly adapters: Partial<Record<AdapterRole, string>>,
    options: { onGpu: boolean; dataDir?: string; env?: NodeJS.ProcessEnv },
  ) {
    const env = options.env ?? process.env;
    const setting = adapterStorageSetting(env);
    this.quantize = setting === 'q8_0' || (setting === 'auto' && options.onGpu);
    this.cacheRoot = join(options.dataDir ?? defaultDataDir(env), 'runtime-adapters');
    this.reason = this.quantize
      ? `Runtime LoRA adapters run as Q8_0 copies (${setting === 'auto' ? 'the model is on the GPU' : 'PONDER_ADAPTER_STORAGE=q8_0'}).`
      : `Runtime LoRA adapters run as given (${setting === 'auto' ? 'the model is on the CPU' : 'PONDER_ADAPTER_STORAGE'}).`;
  }

  info(): RuntimeAdaptersInfo {
    return { storage: this.quantize ? 'q8_0' : 'as-given', reason: this.reason };
  }

  /** Starts the copies these roles will need (nothing to wait for: `pathFor` finds them). */
  prepare(roles: AdapterRole[]): void {
    if (!this.quantize) return;
    for (const role of roles) if (this.adapters[role]) void this.pathFor(role);
  }

  /**
   * The path to load for this role's adapter. The copy is made once (about a second per 100 MB of
   * adapter; the engine starts it when it loads) and found in the data folder afterwards; a failed
   * copy falls back to the adapter itself for the rest of the session.
   */
  pathFor(role: AdapterRole): Promise<string> {
    const adapter = this.adapters[role];
    if (!adapter)
      return Promise.reject(new Error(`No ${role.toUpperCase()} adapter is configured.`));
    if (!this.quantize) return Promise.resolve(adapter);
    let path = this.paths.get(role);
    if (!path) {
      path = q8AdapterCopy(adapter, this.cacheRoot).then(
        (copy) => copy.path,
        (error: unknown) => {
          // A copy is an optimisation: the adapter as given still works.
          const why = error instanceof Error ? error.message.split('\n', 1)[0] : String(error);
          this.reason = `Runtime LoRA adapters run as given (the Q8_0 copy of ${role.toUpperCase()} failed: ${why}).`;
          return adapter;
        },
      );
      this.paths.set(role, path);
    }
    return path;
  }
}
