import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from './resolve-config';
import { saveSettings } from './settings';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ponder-research-settings-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('Deep Search budgets and self-search as settings', () => {
  it('start from the defaults: 3 rounds, 3 searches a round, 12 pages, 16,000 tokens, 120 s, self-search off', () => {
    expect(resolveConfig({ dataDir }, {}).research).toEqual({
      rounds: 3,
      subQuestionsPerRound: 3,
      pages: 12,
      tokens: 16_000,
      wallMs: 120_000,
      selfSearch: false,
      selfSearchTags: {
        open: '<search>',
        close: '</search>',
        informationOpen: '<information>',
        informationClose: '</information>',
      },
      selfSearchMax: 3,
    });
  });

  it('are saved in settings.json one by one, keeping the others', async () => {
    saveSettings(dataDir, { research: { rounds: 5 } });
    saveSettings(dataDir, { research: { selfSearch: true, selfSearchTags: { open: '<q>' } } });
    saveSettings(dataDir, { research: { selfSearchTags: { close: '</q>' } } });
    const saved = JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8')) as {
      research: unknown;
    };
    expect(saved.research).toEqual({
      rounds: 5,
      selfSearch: true,
      selfSearchTags: { open: '<q>', close: '</q>' },
    });
    const research = resolveConfig({ dataDir }, {}).research;
    expect(research).toMatchObject({ rounds: 5, pages: 12, selfSearch: true });
    expect(research.selfSearchTags).toEqual({
      open: '<q>',
      close: '</q>',
      informationOpen: '<information>',
      informationClose: '</information>',
    });
  });

  it('refuse a value out of range, naming it', () => {
    expect(() => saveSettings(dataDir, { research: { pages: 51 } })).toThrow(
      'Invalid setting "research.pages"',
    );
    expect(() => saveSettings(dataDir, { research: { wallMs: 10 } })).toThrow(
      'Invalid setting "research.wallMs"',
    );
  });

  it('the command line turns self-search on or off and sets its tags over the saved setting', async () => {
    await writeFile(
      join(dataDir, 'settings.json'),
      JSON.stringify({ research: { selfSearch: true } }),
    );
    expect(resolveConfig({ dataDir, selfSearch: false }, {}).research.selfSearch).toBe(false);
    const tagged = resolveConfig(
      { dataDir, selfSearchTags: '<query>,</query>,<result>,</result>' },
      {},
    ).research;
    expect(tagged.selfSearch).toBe(true);
    expect(tagged.selfSearchTags).toEqual({
      open: '<query>',
      close: '</query>',
      informationOpen: '<result>',
      informationClose: '</result>',
    });
    expect(() => resolveConfig({ dataDir, selfSearchTags: '<query>' }, {})).toThrow(
      /--self-search-tags: give OPEN,CLOSE/,
    );
  });
});
