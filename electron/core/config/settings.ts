import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { PonderSettings } from '../../shared';
import { MODES } from '../../shared';
import {
  DEFAULT_RESEARCH_SETTINGS,
  type ResearchSettings,
} from '../agent/research/research-settings';
import { PonderError } from '../errors';
import { engineSettingsSchema } from './engine-settings';
import type { EngineSettings } from './engine-settings';

/**
 * What settings.json holds: the shared settings, where the model runs (local or a server), and
 * Deep Search's budgets and the self-search switch (`research`).
 */
export type StoredSettings = PonderSettings & {
  engine?: Partial<EngineSettings>;
  research?: StoredResearchSettings;
  /** Merged models per mode instead of base + runtime LoRA (electron/core/llm/fast-modes.ts). */
  fastModes?: 'auto' | 'on' | 'off';
};

const tag = z.string().min(1).max(40).regex(/^\S+$/, 'no spaces');

/**
 * Deep Search's budgets (the same ranges a request may ask for) and the self-search switch, with
 * the tags a self-searching model writes (one word each, no spaces).
 */
export const researchSettingsSchema = z
  .object({
    rounds: z.number().int().min(1).max(10),
    subQuestionsPerRound: z.number().int().min(1).max(8),
    pages: z.number().int().min(1).max(50),
    tokens: z.number().int().min(64).max(1_000_000),
    wallMs: z.number().int().min(1_000).max(3_600_000),
    selfSearch: z.boolean(),
    selfSearchTags: z
      .object({ open: tag, close: tag, informationOpen: tag, informationClose: tag })
      .partial()
      .strict(),
    selfSearchMax: z.number().int().min(1).max(10),
  })
  .partial()
  .strict();

/** The `research` section as saved: any of its fields, tags one by one. */
export type StoredResearchSettings = z.infer<typeof researchSettingsSchema>;

export { DEFAULT_RESEARCH_SETTINGS };
export type { ResearchSettings };

export const DEFAULT_SETTINGS: Readonly<PonderSettings> = {
  modelPath: null,
  sftPath: null,
  grpoPath: null,
  gpuLayers: 'auto',
  threads: null,
  contextSize: 4096,
  searchProvider: 'duckduckgo',
  searxngUrl: null,
  docsDir: null,
  topK: 5,
  quickAskShortcut: 'CommandOrControl+Shift+Space',
  defaultMode: 'chat',
  closeToTray: true,
};

const nullablePath = z.string().min(1).max(4096).nullable();

/** Every field optional so an older settings file still loads; unknown fields are dropped. */
export const settingsPatchSchema = z
  .object({
    modelPath: nullablePath,
    sftPath: nullablePath,
    grpoPath: nullablePath,
    gpuLayers: z.union([z.literal('auto'), z.number().int().min(0).max(1000)]),
    threads: z.number().int().min(1).max(1024).nullable(),
    contextSize: z.number().int().min(256).max(1_048_576),
    searchProvider: z.enum(['duckduckgo', 'searxng', 'local']),
    searxngUrl: z.url({ protocol: /^https?$/ }).nullable(),
    docsDir: nullablePath,
    topK: z.number().int().min(1).max(20),
    quickAskShortcut: z.string().min(1).max(100),
    defaultMode: z.enum(MODES),
    closeToTray: z.boolean(),
    engine: engineSettingsSchema,
    research: researchSettingsSchema,
    fastModes: z.enum(['auto', 'on', 'off']),
  })
  .partial();

export function settingsFile(dataDir: string): string {
  return join(dataDir, 'settings.json');
}

/**
 * Reads the saved settings. A file that is not valid JSON or fails validation is moved aside
 * (never deleted) and the defaults are used, so a damaged file cannot keep the app from starting.
 */
export function loadSettings(dataDir: string): { settings: StoredSettings; warning?: string } {
  const file = settingsFile(dataDir);
  if (!existsSync(file)) return { settings: { ...DEFAULT_SETTINGS } };
  try {
    const parsed = settingsPatchSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    return { settings: { ...DEFAULT_SETTINGS, ...parsed } };
  } catch {
    const aside = `${file}.damaged-${Date.now()}`;
    renameSync(file, aside);
    return {
      settings: { ...DEFAULT_SETTINGS },
      warning: `Your settings file could not be read; it was kept at ${aside} and defaults are in use.`,
    };
  }
}

/** Validates a patch, merges it into the saved settings and writes them atomically. */
export function saveSettings(dataDir: string, patch: unknown): StoredSettings {
  const result = settingsPatchSchema.safeParse(patch);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.join('.') || 'settings';
    throw new PonderError(
      'invalid-input',
      `Invalid setting "${where}": ${issue?.message ?? 'rejected'}.`,
    );
  }
  const saved = loadSettings(dataDir).settings;
  const next: StoredSettings = { ...saved, ...result.data };
  // The engine section merges field by field: choosing "remote" keeps the address already saved.
  if (result.data.engine) next.engine = { ...saved.engine, ...result.data.engine };
  // So does research: saving one budget keeps the others, and the tags merge tag by tag.
  if (result.data.research) {
    next.research = { ...saved.research, ...result.data.research };
    if (result.data.research.selfSearchTags) {
      next.research.selfSearchTags = {
        ...saved.research?.selfSearchTags,
        ...result.data.research.selfSearchTags,
      };
    }
  }
  const file = settingsFile(dataDir);
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(next, null, 2)}\n`);
  renameSync(temporary, file);
  return next;
}
