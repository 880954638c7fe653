import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { MessageBoxOptions } from 'electron';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPonderCore } from '../core/app';
import type { PonderCore } from '../core/app';
import { writeDamagedHistory } from '../core/memory/testing/damaged-history';
import { askToRecoverHistory, recoveredHistoryDialog } from './damaged-history';

const damagedHistory = (path: string) => writeDamagedHistory(path);

describe('the desktop app with a damaged conversation history', () => {
  let dataDir: string;
  let dbPath: string;
  let core: PonderCore | undefined;
  /** Each dialog shown, with the files in the data folder at that moment. */
  let shown: { box: MessageBoxOptions; files: string[]; bytes: Buffer }[];

  const start = (answer: 'Recover' | 'Quit') =>
    createPonderCore({
      flags: { dataDir },
      env: {},
      onCorruptDatabase: askToRecoverHistory(async (box) => {
        shown.push({ box, files: readdirSync(dataDir).sort(), bytes: readFileSync(dbPath) });
        return { response: box.buttons?.indexOf(answer) ?? -1, checkboxChecked: false };
      }),
    });

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ponder-damaged-history-'));
    dbPath = join(dataDir, 'ponder.db');
    shown = [];
  });
  afterEach(async () => {
    await core?.dispose();
    core = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says what is wrong and what Recover does, and moves nothing until Recover', async () => {
    const before = damagedHistory(dbPath);
    core = await start('Recover');

    expect(shown).toHaveLength(1);
    const [{ box, files, bytes }] = shown as [(typeof shown)[number]];
    // While the dialog is open the file is exactly as it was, alone in its folder.
    expect(bytes.equals(before)).toBe(true);
    expect(files).toEqual(['ponder.db']);
    expect(box.message).toBe('Your conversation history cannot be opened');
    expect(box.buttons).toEqual(['Recover', 'Quit']);
    expect(box.cancelId).toBe(1);
    const keepAt = /unchanged, at (\S+?)\.(?:\s|$)/.exec(box.detail ?? '')?.[1];
    expect(box.detail).toContain(
      `The file ${dbPath} is damaged or is not a Ponder conversation database`,
    );
    expect(keepAt?.startsWith(`${dbPath}.damaged-`)).toBe(true);

    // Recover kept the damaged file byte for byte under the name the dialog gave.
    expect(readFileSync(keepAt ?? '').equals(before)).toBe(true);
    const listed = core.conversations.list();
    expect(listed.length).toBeGreaterThan(20);
    // The overwritten page's messages are what is lost; the rest reads back.
    const messages = Number(/and (\d+) messages/.exec(core.databaseRecovery?.message ?? '')?.[1]);
    expect(messages).toBeGreaterThan(40);
    expect(messages).toBeLessThan(80);
    expect(core.databaseRecovery?.movedTo).toBe(keepAt);
    const done = recoveredHistoryDialog(core.databaseRecovery ?? { message: '' });
    expect(done.detail).toContain(`kept at ${keepAt}`);
    expect(done.detail).toContain(`${listed.length} conversations`);
    expect((await core.health()).notices).toContain(core.databaseRecovery?.message);

    // The next start opens the recovered history without asking.
    await core.dispose();
    core = await start('Quit');
    expect(shown).toHaveLength(1);
    expect(core.conversations.list()).toHaveLength(listed.length);
  });

  it('Quit leaves the damaged file exactly as it was, with nothing beside it', async () => {
    const before = damagedHistory(dbPath);
    await expect(start('Quit')).rejects.toMatchObject({
      code: 'cancelled',
      message: expect.stringContaining('left untouched'),
    });
    expect(shown).toHaveLength(1);
    expect(readFileSync(dbPath).equals(before)).toBe(true);
    expect(readdirSync(dataDir)).toEqual(['ponder.db']);
  });

  it('a file that is not a database at all is offered the same choice', async () => {
    writeFileSync(dbPath, 'these bytes were never a SQLite database '.repeat(200));
    core = await start('Recover');
    expect(shown[0]?.box.detail).toContain('is damaged or is not a Ponder conversation database');
    expect(core.conversations.list()).toEqual([]);
    const kept = readdirSync(dataDir).find((name) => name.includes('.damaged-'));
    expect(readFileSync(join(dataDir, kept ?? ''), 'utf8')).toMatch(/^these bytes were never/);
    expect(core.databaseRecovery?.movedTo).toBe(join(dataDir, kept ?? ''));
    expect(basename(core.databaseRecovery?.movedTo ?? '')).toMatch(/^ponder\.db\.damaged-/);
  });

  it('without a way to ask, a damaged history is refused and left untouched', async () => {
    const before = damagedHistory(dbPath);
    await expect(createPonderCore({ flags: { dataDir }, env: {} })).rejects.toMatchObject({
      code: 'db-corrupt',
    });
    expect(readFileSync(dbPath).equals(before)).toBe(true);
    expect(readdirSync(dataDir)).toEqual(['ponder.db']);
  });
});
