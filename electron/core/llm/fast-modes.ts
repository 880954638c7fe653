import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { freemem } from 'node:os';
import { join } from 'node:path';
import type { LlamaModel } from 'node-llama-cpp';
import type { AdapterRole } from '../../shared';
import { defaultDataDir } from '../config/data-dir';
import { contentHash, MERGED_FILE, QUALITY_FILE } from '../models/merge/merge-plan';
import type { MergeQuality } from '../models/merge/merge-adapter';

/** `fastModes` in settings: merged models per mode instead of base + runtime LoRA. */
export type FastModesSetting = 'auto' | 'on' | 'off';

export const FAST_MODES_SETTINGS: readonly FastModesSetting[] = ['auto', 'on', 'off'];

export interface FastModesChoice {
  setting: FastModesSetting;
  /** The merged model each role runs with; a role absent here runs with runtime LoRA. */
  models: Partial<Record<AdapterRole, string>>;
  /** Why, in a sentence (shown in health). */
  reason: string;
  /** Finished merges of this base's configured adapters. */
  found: number;
}

/**
 * The setting in effect: `PONDER_FAST_MODES`, else the one the app resolved (`given`), else
 * `fastModes` in the data folder's settings.json, else `auto`.
 */
export function fastModesSetting(
  env: NodeJS.ProcessEnv = process.env,
  dataDir = defaultDataDir(env),
  given?: FastModesSetting,
): FastModesSetting {
  const fromEnv = env.PONDER_FAST_MODES;
  if (fromEnv && (FAST_MODES_SETTINGS as readonly string[]).includes(fromEnv))
    return fromEnv as FastModesSetting;
  if (given) return given;
  try {
    const saved = JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as {
      fastModes?: unknown;
    };
    if ((FAST_MODES_SETTINGS as readonly unknown[]).includes(saved.fastModes))
      return saved.fastModes as FastModesSetting;
  } catch {
    // No settings file (or an unreadable one: settings.ts reports that): the default.
  }
  return 'auto';
}

function finishedMerges(cacheRoot: string): { dir: string; quality: MergeQuality }[] {
  if (!existsSync(cacheRoot)) return [];
  const found: { dir: string; quality: MergeQuality }[] = [];
  for (const entry of readdirSync(cacheRoot, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(cacheRoot, entry.name);
    try {
      const quality = JSON.parse(readFileSync(join(dir, QUALITY_FILE), 'utf8')) as MergeQuality;
      if (quality.agreement >= quality.threshold && existsSync(join(dir, MERGED_FILE)))
        found.push({ dir, quality });
    } catch {
      // A merge still running or cut short: not usable.
    }
  }
  return found;
}

/** The merged models in `cacheRoot` made from exactly this base and these adapters (by content). */
export async function findMergedModels(
  basePath: string,
  adapters: Partial<Record<AdapterRole, string>>,
  cacheRoot: string,
): Promise<Partial<Record<AdapterRole, string>>> {
  const merges = finishedMerges(cacheRoot);
  if (merges.length === 0) return {};
  const baseHash = await contentHash(basePath, cacheRoot);
  const found: Partial<Record<AdapterRole, string>> = {};
  for (const [role, adapterPath] of Object.entries(adapters) as [AdapterRole, string][]) {
    const adapterHash = await contentHash(adapterPath, cacheRoot);
    const merge = merges.find(
      ({ quality }) => quality.baseHash === baseHash && quality.adapterHash === adapterHash,
    );
    if (merge) found[role] = join(merge.dir, MERGED_FILE);
  }
  return found;
}

function gb(bytes: number): string {
  return `${(bytes / 1e9).toFixed(1)} GB`;
}

/**
 * Which modes run on a merged model. `off`: none. `on`: every mode with a finished merge. `auto`:
 * all of them when every configured adapter has a merge and the merged models fit in free memory
 * together (they are loaded beside the base), else none — runtime LoRA as before.
 */
export async function chooseFastModes(options: {
  setting: FastModesSetting;
  basePath: string;
  adapters: Partial<Record<AdapterRole, string>>;
  cacheRoot: string;
  freeMemoryBytes: number;
}): Promise<FastModesChoice> {
  const { setting } = options;
  const roles = Object.keys(options.adapters) as AdapterRole[];
  if (setting === 'off' || roles.length === 0)
    return {
      setting,
      models: {},
      reason:
        setting === 'off' ? 'Fast modes are off: runtime LoRA.' : 'No adapters: nothing to merge.',
      found: 0,
    };
  const merged = await findMergedModels(options.basePath, options.adapters, options.cacheRoot);
  const have = Object.keys(merged) as AdapterRole[];
  const missing = roles.filter((role) => !merged[role]);
  const mergeHint = 'run `ponder models merge` to make them';
  const found = have.length;
  if (setting === 'on') {
    return {
      setting,
      models: merged,
      reason:
        missing.length === 0
          ? 'Fast modes on: every mode runs its merged model.'
          : `Fast modes on; no merged model for ${missing.join(', ')} (${mergeHint}), runtime LoRA there.`,
      found,
    };
  }
  if (missing.length > 0)
    return {
      setting,
      models: {},
      reason: `Runtime LoRA: no merged model for ${missing.join(', ')} (${mergeHint}).`,
      found,
    };
  let bytes = 0;
  for (const role of have) bytes += (await stat(merged[role]!)).size;
  if (bytes > options.freeMemoryBytes)
    return {
      setting,
      models: {},
      reason: `Runtime LoRA: the merged models need ${gb(bytes)} and ${gb(options.freeMemoryBytes)} of memory is free.`,
      found,
    };
  return {
    setting,
    models: merged,
    reason: `Fast modes (auto): the merged models (${gb(bytes)}) fit in ${gb(options.freeMemoryBytes)} of free memory.`,
    found,
  };
}

/**
 * The engine's hook: per adapter role, the merged model to create the mode's context on instead of
 * base + LoRA, loaded once on first use and kept. The choice is made once, on first use.
 */
export class FastModeModels {
  private choice: Promise<FastModesChoice> | undefined;
  private resolved: FastModesChoice | undefined;
  private readonly loaded = new Map<AdapterRole, Promise<LlamaModel>>();

  constructor(
    private readonly base: LlamaModel,
    /** The base's path as given (LlamaModel.filename holds only its name). */
    private readonly basePath: string,
    private readonly adapters: Partial<Record<AdapterRole, string>>,
    private readonly env: NodeJS.ProcessEnv = process.env,
    /** The app's data folder (its settings.json and `merged/`), when it is not the default one. */
    private readonly dataDir = defaultDataDir(env),
    /** The setting the app resolved; the data folder's settings.json is read when absent. */
    private readonly setting?: FastModesSetting,
  ) {}

  /** The choice, once made (before the first mode with an adapter is used it is unknown). */
  current(): FastModesChoice | undefined {
    return this.resolved;
  }

  choose(): Promise<FastModesChoice> {
    this.choice ??= (async () => {
      let choice: FastModesChoice;
      try {
        const { basePath } = this;
        const vram = this.base.llama.gpu === false ? null : await this.base.llama.getVramState();
        choice = await chooseFastModes({
          setting: fastModesSetting(this.env, this.dataDir, this.setting),
          basePath,
          adapters: this.adapters,
          cacheRoot: join(this.dataDir, 'merged'),
          freeMemoryBytes: vram ? Math.min(vram.free, freemem()) : freemem(),
        });
      } catch (error) {
        // Fast modes are an optimisation: anything wrong with them leaves runtime LoRA working.
        const why = error instanceof Error ? error.message.split('\n', 1)[0] : String(error);
        choice = {
          setting: 'off',
          models: {},
          reason: `Runtime LoRA (fast modes: ${why}).`,
          found: 0,
        };
      }
      this.resolved = choice;
      return choice;
    })();
    return this.choice;
  }

  /** The merged model for this role, or null to use runtime LoRA. */
  async modelFor(role: AdapterRole, signal?: AbortSignal): Promise<LlamaModel | null> {
    const path = (await this.choose()).models[role];
    if (!path) return null;
    let model = this.loaded.get(role);
    if (!model) {
      model = this.base.llama.loadModel({
        modelPath: path,
        gpuLayers: this.base.gpuLayers,
        ...(signal ? { loadSignal: signal } : {}),
      });
      this.loaded.set(role, model);
      model.catch(() => this.loaded.delete(role));
    }
    return model;
  }

  async dispose(): Promise<void> {
    const models = await Promise.allSettled([...this.loaded.values()]);
    this.loaded.clear();
    await Promise.allSettled(
      models.map((result) => (result.status === 'fulfilled' ? result.value.dispose() : undefined)),
    );
  }
}
