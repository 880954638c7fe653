import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtures, fixturePaths } from '../../../models/fixtures';
import { IPC_CHANNELS } from '../../shared';
import { createPonderCore } from '../../core/app';
import type { PonderCore } from '../../core/app';
import {
  fixtureLmHead,
  peftConfig,
  writePeftFolder,
} from '../../core/models/peft/testing/peft-folder';
import type { IpcCaller } from './ipc-handlers';
import { createIpcHandlers } from './ipc-handlers';
import { quietDesktop } from './testing/quiet-desktop';

const dataDir = mkdtempSync(join(tmpdir(), 'ponder-ipc-adapters-'));
let core: PonderCore;

const desktop = quietDesktop;
const sent: unknown[][] = [];
const window: IpcCaller = { id: 1, send: (...args) => void sent.push(args), isGone: () => false };

beforeAll(async () => {
  await ensureFixtures();
  core = await createPonderCore({ flags: { dataDir }, env: {} });
});

afterAll(async () => {
  await core?.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('adapters:import over IPC', () => {
  it('writes the GGUF adapter beside the folder and answers with it', async () => {
    const dir = await writePeftFolder(join(dataDir, 'my-sft'), peftConfig(), fixtureLmHead('sft'));
    const { invoke } = createIpcHandlers(core, desktop);
    const result = await invoke[IPC_CHANNELS.importAdapter]?.(window, [
      'import-1',
      { dir, basePath: fixturePaths.base },
    ]);
    const out = join(dir, 'my-sft-F16-LoRA.gguf');
    expect(result).toMatchObject({ ok: true, value: { out, pairs: 1, warnings: [] } });
    expect(existsSync(out)).toBe(true);
    // The window's progress bar reaches the whole file.
    const bytes = result?.ok ? (result.value as { bytes: number }).bytes : 0;
    expect(sent.at(-1)).toEqual([
      IPC_CHANNELS.importProgress,
      'import-1',
      { writtenBytes: bytes, totalBytes: bytes },
    ]);
  });

  it('refuses DoRA with one line and writes nothing', async () => {
    const dir = await writePeftFolder(
      join(dataDir, 'my-dora'),
      peftConfig({ use_dora: true }),
      fixtureLmHead('sft'),
    );
    const { invoke } = createIpcHandlers(core, desktop);
    const result = await invoke[IPC_CHANNELS.importAdapter]?.(window, [
      'import-2',
      { dir, basePath: fixturePaths.base },
    ]);
    expect(result?.ok).toBe(false);
    if (result && !result.ok) {
      expect(result.error.message).toMatch(/uses DoRA \(use_dora\)/);
      expect(result.error.message).not.toContain('\n');
    }
    expect(existsSync(join(dir, 'my-dora-F16-LoRA.gguf'))).toBe(false);
  });

  it('refuses a request without the base model as malformed', async () => {
    const { invoke } = createIpcHandlers(core, desktop);
    const result = await invoke[IPC_CHANNELS.importAdapter]?.(window, [
      'import-3',
      { dir: dataDir },
    ]);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});
