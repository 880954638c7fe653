import type {
  AppError,
  HealthInfo,
  PonderSettings,
  ShortcutStatus,
} from '../../../../electron/shared';
import { api, asAppError } from '../api';

export type Dialog = 'settings' | 'models' | null;

/** Health, settings and which dialog is open: what the whole window depends on. */
export class AppState {
  health = $state<HealthInfo | null>(null);
  settings = $state<PonderSettings | null>(null);
  shortcut = $state<ShortcutStatus | null>(null);
  dialog = $state<Dialog>(null);
  error = $state<AppError | null>(null);
  loaded = $state(false);

  /** No model configured: the window shows the welcome screen instead of the chat. */
  get needsModel(): boolean {
    return this.health?.status === 'no-model';
  }

  async refresh(): Promise<void> {
    try {
      const [health, settings] = await Promise.all([api.health(), api.getSettings()]);
      this.health = health;
      this.settings = settings;
      this.shortcut = api.desktop ? await api.desktop.shortcutStatus() : null;
      this.error = null;
    } catch (error) {
      this.error = asAppError(error);
    } finally {
      this.loaded = true;
    }
  }

  /**
   * A new model or adapter path is read (GGUF header, adapter fit) before anything is saved, so a
   * missing or broken file is refused with its reason instead of being saved.
   */
  private async checkModelFiles(patch: Partial<PonderSettings>): Promise<void> {
    const changes = ['modelPath', 'sftPath', 'grpoPath'].some((key) => key in patch);
    const current = this.settings;
    const modelPath = patch.modelPath !== undefined ? patch.modelPath : current?.modelPath;
    if (!changes || !modelPath) return;
    await api.checkModelFiles({
      modelPath,
      sftPath: patch.sftPath !== undefined ? patch.sftPath : (current?.sftPath ?? null),
      grpoPath: patch.grpoPath !== undefined ? patch.grpoPath : (current?.grpoPath ?? null),
    });
  }

  /** Health alone, e.g. after an answer loaded the model. */
  async refreshHealth(): Promise<void> {
    try {
      this.health = await api.health();
    } catch {
      // The next answer or reload tries again; a stale header is not worth a banner.
    }
  }

  async saveSettings(patch: Partial<PonderSettings>): Promise<boolean> {
    try {
      await this.checkModelFiles(patch);
      this.settings = await api.updateSettings(patch);
      this.health = await api.health();
      if (api.desktop) this.shortcut = await api.desktop.shortcutStatus();
      this.error = null;
      return true;
    } catch (error) {
      this.error = asAppError(error);
      return false;
    }
  }
}

export const appState = new AppState();
