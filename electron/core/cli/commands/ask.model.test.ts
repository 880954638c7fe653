import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureFixtures,
  FIXTURE_GRPO_PARTS,
  FIXTURE_REPLIES,
  fixturePaths,
} from '../../../../models/fixtures';
import type { AnswerEvent } from '../../../shared';
import { MODES } from '../../../shared';
import { runPonder } from '../testing/run-ponder';

let dataDir: string;

const ponder = (args: string[]) => runPonder(args, { dataDir });

beforeAll(async () => {
  await ensureFixtures();
  dataDir = await mkdtemp(join(tmpdir(), 'ponder-ask-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('ponder ask', () => {
  it('prints the reasoning part and then the solution part', { timeout: 180_000 }, async () => {
    const run = await ponder([
      'ask',
      '--mode',
      'reasoning',
      '--model',
      fixturePaths.base,
      '--grpo',
      fixturePaths.grpo,
      '2+2?',
    ]);
    expect(run.stderr).not.toMatch(/ponder ask:/);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      `Reasoning:\n${FIXTURE_GRPO_PARTS.reasoning}\n\nAnswer:\n${FIXTURE_GRPO_PARTS.solution}\n`,
    );
  });

  it('prints one JSON event per line with --json', { timeout: 180_000 }, async () => {
    const run = await ponder([
      'ask',
      '--json',
      '--no-history',
      '--temperature',
      '0',
      '--model',
      fixturePaths.base,
      '--sft',
      fixturePaths.sft,
      '--grpo',
      fixturePaths.grpo,
      'What is 2+2?',
    ]);
    expect(run.code).toBe(0);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as AnswerEvent);
    const text = events.flatMap((event) => (event.type === 'text' ? [event.text] : [])).join('');
    expect(text).toBe(FIXTURE_REPLIES.sft);
    const last = events.at(-1);
    expect(last?.type).toBe('done');
    if (last?.type === 'done') expect(last.stats).toMatchObject({ mode: 'chat', adapter: 'sft' });
    expect(events.filter((event) => event.type === 'done' || event.type === 'error')).toHaveLength(
      1,
    );
  });

  it('says how to get a model when none is configured', { timeout: 180_000 }, async () => {
    const run = await ponder(['ask', 'hello?']);
    expect(run.code).not.toBe(0);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/No model is configured/);
    expect(lines[0]).toMatch(/ponder models download/);
    expect(lines[0]).toMatch(/--model FILE/);
  });

  it('fails with one clear line for a broken model file', { timeout: 180_000 }, async () => {
    const broken = await ponder(['ask', '--model', fixturePaths.broken.truncatedData, 'hello?']);
    expect(broken.code).toBe(1);
    expect(broken.stderr.trim().split('\n')).toHaveLength(1);
    expect(broken.stderr).toMatch(/truncated/);
  });

  it('refuses bad options with one clear line', { timeout: 180_000 }, async () => {
    const badMode = await ponder(['ask', '--mode', 'poetry', 'hello?']);
    expect(badMode.code).toBe(2);
    expect(badMode.stderr.trim()).toMatch(
      new RegExp(
        `^ponder ask: --mode must be one of ${MODES.join(', ')}(, \\w+)*, not "poetry"\\.$`,
      ),
    );

    const badNumber = await ponder(['ask', '--max-tokens', 'lots', 'hello?']);
    expect(badNumber.code).toBe(2);
    expect(badNumber.stderr).toMatch(/--max-tokens must be a whole number/);
  });
});
