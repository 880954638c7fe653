import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureResearchFixtures,
  researchFixturePaths,
} from '../../../../models/fixtures/research/build-research-fixtures';
import { startSearxngServer, type SearxngTestServer } from '../../rag/testing/searxng-server';
import { runPonder } from '../../cli/testing/run-ponder';
import { RESEARCH_PAGES } from './testing/research-world';

const QUESTION =
  'Who wrote Alpha and Beta, and who founded the lab where the author of Alpha worked?';

let dataDir: string;
let searx: SearxngTestServer;

const ponder = (args: string[]) => runPonder(args, { dataDir, timeoutMs: 170_000 });
const searchArgs = (model: string) => [
  'ask',
  '--mode',
  'search',
  '--search-provider',
  'searxng',
  '--searxng-url',
  searx.origin,
  '--allow-private-host',
  searx.host,
  '--embedding-model',
  join(dataDir, 'no-embedding-model'),
  '--model',
  model,
  '--no-history',
];

beforeAll(async () => {
  await ensureResearchFixtures();
  dataDir = await mkdtemp(join(tmpdir(), 'ponder-research-cli-'));
  searx = await startSearxngServer(RESEARCH_PAGES);
});

afterAll(async () => {
  await searx?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('ponder ask: Deep Search budgets and self-search', () => {
  it(
    '--rounds ends Deep Search after that many rounds and prints what each analysis learned',
    {
      timeout: 180_000,
    },
    async () => {
      const run = await ponder([
        ...searchArgs(researchFixturePaths.followUp),
        '--depth',
        'deep',
        '--rounds',
        '2',
        '--time-limit',
        '100',
        QUESTION,
      ]);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('learned: Alpha is by Ann Lee [1]; Beta is by Bo Chen [2].');
      expect(run.stderr).toContain('Stopped after 2 rounds (the round budget).');
      expect(run.stdout).toContain('Ann Lee [1], Bo Chen [2], Cy Diaz [3]');
    },
  );

  it(
    'takes the round budget from settings.json when no flag gives one',
    {
      timeout: 180_000,
    },
    async () => {
      await writeFile(join(dataDir, 'settings.json'), JSON.stringify({ research: { rounds: 1 } }));
      try {
        const run = await ponder([
          ...searchArgs(researchFixturePaths.followUp),
          '--depth',
          'deep',
          QUESTION,
        ]);
        expect(run.code).toBe(0);
        expect(run.stderr).toContain('Stopped after 1 round (the round budget).');
      } finally {
        await rm(join(dataDir, 'settings.json'), { force: true });
      }
    },
  );

  it.each([
    [
      ['--depth', 'deep', '--rounds', '0'],
      '--rounds must be a whole number from 1 to 10, not "0".',
    ],
    [
      ['--depth', 'deep', '--time-limit', '2h'],
      '--time-limit must be a whole number from 1 to 3600',
    ],
    [['--max-pages', '3'], 'This budget applies to Deep Search only: add --depth deep'],
    [['--self-search', 'yes'], '--self-search must be on or off, not "yes".'],
    [['--self-search-tags', '<search>'], 'Invalid option --self-search-tags: give OPEN,CLOSE'],
  ])('refuses %j with a clear usage error', { timeout: 60_000 }, async (flags, message) => {
    const run = await ponder([...searchArgs(researchFixturePaths.followUp), ...flags, 'q?']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it(
    '--self-search on lets a model that writes <search> run its search, and cites what it found',
    {
      timeout: 180_000,
    },
    async () => {
      const run = await ponder([
        ...searchArgs(researchFixturePaths.selfSearch),
        '--self-search',
        'on',
        'Who wrote Alpha?',
      ]);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('The model searched “Who wrote Alpha”: 1 sources, 1 new.');
      expect(run.stdout).toContain('Ann Lee wrote Alpha [1].');
      expect(run.stdout).not.toContain('<search>');
      expect(run.stdout).toMatch(/\[1\] Alpha \(novel\)/);
    },
  );

  it(
    'leaves self-search off by default: the model’s search tags stay unanswered',
    {
      timeout: 180_000,
    },
    async () => {
      const run = await ponder([
        ...searchArgs(researchFixturePaths.selfSearch),
        '--depth',
        'quick',
        'Who wrote Alpha?',
      ]);
      expect(run.stderr).not.toContain('The model searched');
    },
  );
});
