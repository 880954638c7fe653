export { defaultDataDir } from './data-dir';
export {
  DEFAULT_SETTINGS,
  loadSettings,
  saveSettings,
  settingsFile,
  settingsPatchSchema,
  researchSettingsSchema,
  DEFAULT_RESEARCH_SETTINGS,
} from './settings';
export { resolveConfig, noModelError } from './resolve-config';
export type { ConfigFlags, ResolvedConfig } from './resolve-config';
export { DEFAULT_ENGINE_SETTINGS, engineSettingsSchema } from './engine-settings';
export type { EngineSettings } from './engine-settings';
export type { StoredSettings, ResearchSettings } from './settings';
