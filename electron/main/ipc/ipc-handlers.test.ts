import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerEvent, Mode } from '../../shared';
import { IPC_CHANNELS } from '../../shared';
import { createPonderCore } from '../../core/app';
import type { PonderCore } from '../../core/app';
import type { DesktopHost, IpcCaller } from './ipc-handlers';
import { createIpcHandlers } from './ipc-handlers';

const dataDir = mkdtempSync(join(tmpdir(), 'ponder-ipc-'));
let core: PonderCore;
const opened: string[] = [];
const modes: Mode[] = [];

const desktop: DesktopHost = {
  pickFile: async () => null,
  shortcutStatus: () => ({ accelerator: 'CommandOrControl+Shift+Space', registered: true }),
  settingsChanged: () => {},
  setDefaultMode: (mode) => void modes.push(mode),
  hideQuickAsk: () => {},
  openInMain: () => {},
  openExternal: async (url) => void opened.push(url),
};

/** A window as main sees it: an id, and the events sent back to it. */
function caller(id: number): IpcCaller & { sent: unknown[][] } {
  const sent: unknown[][] = [];
  return { id, sent, send: (...args) => void sent.push(args), isGone: () => false };
}

beforeAll(async () => {
  core = await createPonderCore({ flags: { dataDir }, env: {} });
});

afterAll(async () => {
  await core?.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('IPC handlers over a real core (no model configured)', () => {
  it('answers health and settings as Results', async () => {
    const { invoke } = createIpcHandlers(core, desktop);
    const health = await invoke[IPC_CHANNELS.health]?.(caller(1), []);
    expect(health).toMatchObject({ ok: true, value: { status: 'no-model' } });
    const settings = await invoke[IPC_CHANNELS.getSettings]?.(caller(1), []);
    expect(settings).toMatchObject({ ok: true, value: { modelPath: null, topK: 5 } });
  });

  it.each([
    [IPC_CHANNELS.getConversation, ['../../etc/passwd']],
    [IPC_CHANNELS.getConversation, []],
    [IPC_CHANNELS.health, ['extra']],
    [IPC_CHANNELS.searchConversations, ['x'.repeat(10_000)]],
    [IPC_CHANNELS.updateSettings, [{ topK: 'lots' }]],
    [IPC_CHANNELS.updateSettings, [{ unknownSetting: true }]],
    [IPC_CHANNELS.ask, ['req-1', { mode: 'telepathy', text: 'hi' }]],
    [IPC_CHANNELS.ask, ['req 1; drop', { mode: 'chat', text: 'hi' }]],
    [IPC_CHANNELS.exportConversations, ['all', 'pdf']],
    ['settings:set-default-mode', ['turbo']],
  ])('refuses malformed %s %j with one clear line', async (channel, args) => {
    const { invoke } = createIpcHandlers(core, desktop);
    const result = await invoke[channel]?.(caller(1), args);
    expect(result?.ok).toBe(false);
    if (result && !result.ok) {
      expect(result.error.code).toBe('invalid-input');
      expect(result.error.message).toMatch(/^Ponder refused a malformed \w+ request/);
      expect(result.error.message).not.toContain('\n');
    }
  });

  it('opens only http, https and mailto links outside the app', async () => {
    const { invoke } = createIpcHandlers(core, desktop);
    const refused = await invoke[IPC_CHANNELS.openExternal]?.(caller(1), ['file:///etc/passwd']);
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const allowed = await invoke[IPC_CHANNELS.openExternal]?.(caller(1), ['https://example.com/a']);
    expect(allowed).toEqual({ ok: true, value: undefined });
    expect(opened).toEqual(['https://example.com/a']);
  });

  it('streams an answer to its caller and ends it with an error event when no model is set', async () => {
    const { invoke } = createIpcHandlers(core, desktop);
    const window = caller(7);
    const result = await invoke[IPC_CHANNELS.ask]?.(window, [
      'req-2',
      { mode: 'chat', text: 'Hello?' },
    ]);
    expect(result).toEqual({ ok: true, value: undefined });
    const events = window.sent.map(([channel, id, event]) => {
      expect(channel).toBe(IPC_CHANNELS.askEvent);
      expect(id).toBe('req-2');
      return event as AnswerEvent;
    });
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'model-missing' } });
  });

  it('sets the default mode and saves it', async () => {
    const { invoke } = createIpcHandlers(core, desktop);
    await invoke['settings:set-default-mode']?.(caller(1), ['reasoning']);
    expect(modes).toEqual(['reasoning']);
    expect(core.settings.get().defaultMode).toBe('reasoning');
  });
});
