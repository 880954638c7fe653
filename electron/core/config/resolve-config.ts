import { join } from 'node:path';
import type { PonderSettings, SearchProvider } from '../../shared';
import { defaultDataDir } from './data-dir';
import {
  DEFAULT_RESEARCH_SETTINGS,
  loadSettings,
  researchSettingsSchema,
  settingsPatchSchema,
} from './settings';
import type { ResearchSettings, StoredResearchSettings } from './settings';
import { PonderError } from '../errors';
import { parseModeTargets } from '../llm/remote/parse-mode-targets';
import { DEFAULT_ENGINE_SETTINGS, engineSettingsSchema } from './engine-settings';
import type { EngineSettings } from './engine-settings';
import { invalidOption, InvalidOptionError } from './invalid-option';

/** The option that sets each saved setting, for messages about a rejected value. */
const SETTING_FLAGS: Record<string, string> = {
  modelPath: 'model',
  sftPath: 'sft',
  grpoPath: 'grpo',
  threads: 'threads',
  contextSize: 'context-size',
  gpuLayers: 'gpu-layers',
  searchProvider: 'search-provider',
  searxngUrl: 'searxng-url',
  docsDir: 'docs',
  topK: 'top-k',
};
const ENGINE_FLAGS: Record<string, string> = {
  kind: 'engine',
  url: 'engine-url',
  keyEnv: 'engine-key-env',
  allowHttp: 'engine-allow-http',
  timeoutSeconds: 'engine-timeout',
};

/** Options a command line may give; each overrides the environment and the saved settings. */
export interface ConfigFlags {
  model?: string;
  sft?: string;
  grpo?: string;
  threads?: number;
  contextSize?: number;
  gpuLayers?: number | 'auto';
  searchProvider?: SearchProvider;
  searxngUrl?: string;
  docs?: string;
  topK?: number;
  /** A local all-MiniLM-L6-v2 folder (transformers.js format); nothing is downloaded then. */
  embeddingModel?: string;
  /** A local cross-encoder (ms-marco-MiniLM-L-6-v2 family) folder for Search's last ranking stage. */
  rerankerModel?: string;
  /** Hosts whose private addresses Search may read pages from (e.g. a SearXNG on this machine). */
  allowPrivateHosts?: string[];
  db?: string;
  dataDir?: string;
  /** `remote`: run the modes on the server at `engineUrl` instead of loading the model here. */
  engine?: 'local' | 'remote';
  engineUrl?: string;
  /** The environment variable holding the server's API key. */
  engineKeyEnv?: string;
  /** `MODE=NAME`: the model (vLLM adapter) name a mode asks for. */
  modeModels?: string[];
  /** `MODE=ID[:SCALE]`: the llama-server adapter a mode applies. */
  modeLoras?: string[];
  engineAllowHttp?: boolean;
  engineTimeoutSeconds?: number;
  /** Search lets a model that writes its own searches run them (`--self-search on|off`). */
  selfSearch?: boolean;
  /** `OPEN,CLOSE[,INFORMATION_OPEN,INFORMATION_CLOSE]`: the tags such a model writes. */
  selfSearchTags?: string;
}

export interface ResolvedConfig extends PonderSettings {
  dataDir: string;
  dbPath: string;
  /** Where the model runs: here, or on a server (settings.json's `engine`, then flags). */
  engine: EngineSettings;
  /** Deep Search's budgets and the self-search switch (settings.json's `research`, then flags). */
  research: ResearchSettings;
  embeddingModelDir?: string;
  rerankerModelDir?: string;
  /** Search's cross-encoder stage: off, on when a copy is present (auto), or downloaded if missing (on). */
  reranker: 'off' | 'auto' | 'on';
  allowPrivateHosts: string[];
  /** Set when the saved settings were damaged and defaults are in use. */
  warning?: string;
}

/** Flags override environment variables, which override the settings saved in the data folder. */
export function resolveConfig(
  flags: ConfigFlags,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedConfig {
  const dataDir = flags.dataDir ?? defaultDataDir(env);
  const { settings, warning } = loadSettings(dataDir);
  const fromEnv: Partial<PonderSettings> = {
    ...(env.PONDER_MODEL ? { modelPath: env.PONDER_MODEL } : {}),
    ...(env.PONDER_SFT ? { sftPath: env.PONDER_SFT } : {}),
    ...(env.PONDER_GRPO ? { grpoPath: env.PONDER_GRPO } : {}),
  };
  const fromFlags = settingsPatchSchema.safeParse({
    ...(flags.model !== undefined ? { modelPath: flags.model } : {}),
    ...(flags.sft !== undefined ? { sftPath: flags.sft } : {}),
    ...(flags.grpo !== undefined ? { grpoPath: flags.grpo } : {}),
    ...(flags.threads !== undefined ? { threads: flags.threads } : {}),
    ...(flags.contextSize !== undefined ? { contextSize: flags.contextSize } : {}),
    ...(flags.gpuLayers !== undefined ? { gpuLayers: flags.gpuLayers } : {}),
    ...(flags.searchProvider !== undefined ? { searchProvider: flags.searchProvider } : {}),
    // A documents folder named on the command line means searching it, without also saying
    // --search-provider local.
    ...(flags.docs !== undefined && flags.searchProvider === undefined
      ? { searchProvider: 'local' as const }
      : {}),
    ...(flags.searxngUrl !== undefined ? { searxngUrl: flags.searxngUrl } : {}),
    ...(flags.docs !== undefined ? { docsDir: flags.docs } : {}),
    ...(flags.topK !== undefined ? { topK: flags.topK } : {}),
  });
  if (!fromFlags.success) throw invalidOption(fromFlags.error, SETTING_FLAGS, 'value');
  const resolved: ResolvedConfig = {
    ...settings,
    ...fromEnv,
    ...fromFlags.data,
    engine: resolveEngine(settings.engine, flags),
    research: resolveResearch(settings.research, flags),
    dataDir,
    dbPath: flags.db ?? env.PONDER_DB ?? join(dataDir, 'ponder.db'),
    allowPrivateHosts: flags.allowPrivateHosts ?? [],
    reranker:
      env.PONDER_RERANKER === 'on' || env.PONDER_RERANKER === 'off' ? env.PONDER_RERANKER : 'auto',
  };
  const rerankerModelDir = flags.rerankerModel ?? env.PONDER_RERANKER_MODEL;
  if (rerankerModelDir) resolved.rerankerModelDir = rerankerModelDir;
  const embeddingModelDir = flags.embeddingModel ?? env.PONDER_EMBEDDING_MODEL;
  if (embeddingModelDir) resolved.embeddingModelDir = embeddingModelDir;
  if (warning) resolved.warning = warning;
  return resolved;
}

/** The saved engine section with the command line's engine flags over it. */
function resolveEngine(
  saved: Partial<EngineSettings> | undefined,
  flags: ConfigFlags,
): EngineSettings {
  const fromFlags = engineSettingsSchema.safeParse({
    ...(flags.engine !== undefined ? { kind: flags.engine } : {}),
    ...(flags.engineUrl !== undefined ? { url: flags.engineUrl } : {}),
    ...(flags.engineKeyEnv !== undefined ? { keyEnv: flags.engineKeyEnv } : {}),
    ...(flags.engineAllowHttp !== undefined ? { allowHttp: flags.engineAllowHttp } : {}),
    ...(flags.engineTimeoutSeconds !== undefined
      ? { timeoutSeconds: flags.engineTimeoutSeconds }
      : {}),
  });
  if (!fromFlags.success) throw invalidOption(fromFlags.error, ENGINE_FLAGS, 'engine');
  const engine: EngineSettings = { ...DEFAULT_ENGINE_SETTINGS, ...saved, ...fromFlags.data };
  if (flags.modeModels?.length || flags.modeLoras?.length) {
    // Mode flags replace the saved targets of the modes they name, and keep the others.
    engine.modes = { ...engine.modes, ...parseModeTargets(flags.modeModels, flags.modeLoras) };
  }
  // A server named on the command line means the remote engine, without also saying --engine remote.
  if (flags.engineUrl !== undefined && flags.engine === undefined) engine.kind = 'remote';
  return engine;
}

/** The saved research settings with the command line's self-search flags over them. */
function resolveResearch(
  saved: StoredResearchSettings | undefined,
  flags: ConfigFlags,
): ResearchSettings {
  const tags = flags.selfSearchTags?.split(',').map((tag) => tag.trim());
  if (tags && tags.length !== 2 && tags.length !== 4) {
    throw new InvalidOptionError(
      'self-search-tags',
      `give OPEN,CLOSE or OPEN,CLOSE,INFORMATION_OPEN,INFORMATION_CLOSE, not "${flags.selfSearchTags}"`,
    );
  }
  const fromFlags = researchSettingsSchema.safeParse({
    ...(flags.selfSearch !== undefined ? { selfSearch: flags.selfSearch } : {}),
    ...(tags
      ? {
          selfSearchTags: {
            open: tags[0],
            close: tags[1],
            ...(tags.length === 4 ? { informationOpen: tags[2], informationClose: tags[3] } : {}),
          },
        }
      : {}),
  });
  if (!fromFlags.success) {
    throw invalidOption(
      fromFlags.error,
      { selfSearch: 'self-search', selfSearchTags: 'self-search-tags' },
      'self-search-tags',
    );
  }
  return {
    ...DEFAULT_RESEARCH_SETTINGS,
    ...saved,
    ...fromFlags.data,
    selfSearchTags: {
      ...DEFAULT_RESEARCH_SETTINGS.selfSearchTags,
      ...saved?.selfSearchTags,
      ...fromFlags.data.selfSearchTags,
    },
  } as ResearchSettings;
}

/** The clear answer for "no model configured": where to get one. */
export function noModelError(): PonderError {
  return new PonderError('model-missing', 'No model is configured.', {
    hint: 'Download one with `ponder models download qwen2.5-1.5b-instruct-q4_k_m`, or pass --model FILE (or set PONDER_MODEL) to a local GGUF file.',
  });
}
