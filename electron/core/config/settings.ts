import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { PonderSettings } from '../../shared';
import { MODES } from '../../shared';
import { PonderError } from '../errors';
import { engineSettingsSchema } from './engine-settings';
import type { EngineSettings } from './engine-settings';

/** What settings.json holds: the shared settings, and where the model runs (local or a server). */
export type StoredSettings = PonderSettings & { engine?: Partial<EngineSettings> };

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
  const file = settingsFile(dataDir);
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(next, null, 2)}\n`);
  renameSync(temporary, file);
  return next;
}
