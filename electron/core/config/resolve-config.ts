import { join } from 'node:path';
import type { PonderSettings, SearchProvider } from '../../shared';
import { defaultDataDir } from './data-dir';
import { loadSettings, settingsPatchSchema } from './settings';
import { PonderError } from '../errors';

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
  /** Hosts whose private addresses Search may read pages from (e.g. a SearXNG on this machine). */
  allowPrivateHosts?: string[];
  db?: string;
  dataDir?: string;
}

export interface ResolvedConfig extends PonderSettings {
  dataDir: string;
  dbPath: string;
  embeddingModelDir?: string;
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
    ...(flags.searxngUrl !== undefined ? { searxngUrl: flags.searxngUrl } : {}),
    ...(flags.docs !== undefined ? { docsDir: flags.docs } : {}),
    ...(flags.topK !== undefined ? { topK: flags.topK } : {}),
  });
  if (!fromFlags.success) {
    const issue = fromFlags.error.issues[0];
    throw new PonderError(
      'invalid-input',
      `Invalid option --${String(issue?.path[0] ?? 'value')}: ${issue?.message ?? 'rejected'}.`,
    );
  }
  const resolved: ResolvedConfig = {
    ...settings,
    ...fromEnv,
    ...fromFlags.data,
    dataDir,
    dbPath: flags.db ?? env.PONDER_DB ?? join(dataDir, 'ponder.db'),
    allowPrivateHosts: flags.allowPrivateHosts ?? [],
  };
  const embeddingModelDir = flags.embeddingModel ?? env.PONDER_EMBEDDING_MODEL;
  if (embeddingModelDir) resolved.embeddingModelDir = embeddingModelDir;
  if (warning) resolved.warning = warning;
  return resolved;
}

/** The clear answer for "no model configured": where to get one. */
export function noModelError(): PonderError {
  return new PonderError('model-missing', 'No model is configured.', {
    hint: 'Download one with `ponder models download qwen2.5-1.5b-instruct-q4_k_m`, or pass --model FILE (or set PONDER_MODEL) to a local GGUF file.',
  });
}
