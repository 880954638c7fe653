import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtures, FIXTURE_REPLIES, fixturePaths } from '../../../models/fixtures';
import { createEngine } from '../llm';
import { loadEvalData } from './load-eval-data';
import { ANSWERS_FILE, runEval } from './run-eval';
import type { RunEvalOptions } from './run-eval';

let work: string;
beforeAll(async () => {
  await ensureFixtures();
  work = await mkdtemp(join(tmpdir(), 'ponder-run-eval-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const engineFor: RunEvalOptions['createEngine'] = (withAdapters) =>
  createEngine({
    modelPath: fixturePaths.base,
    adapters: withAdapters ? { sft: fixturePaths.sft, grpo: fixturePaths.grpo } : {},
    gpu: false,
    threads: 1,
    contextSize: 512,
  });

describe('runEval interrupted and resumed', () => {
  it('keeps every finished answer when stopped, and the next run answers only the rest', async () => {
    const dataPath = join(work, 'data.jsonl');
    const items = ['What is 2+2?', 'Add two and two.', 'And 2+2?'].map((instruction) =>
      JSON.stringify({ instruction, input: '', output: 'Four.' }),
    );
    await writeFile(dataPath, `${items.join('\n')}\n`);
    const data = await loadEvalData(dataPath);
    const outDir = join(work, 'out');

    // Ctrl+C after the second answer: the signal aborts as soon as progress reports 2 done.
    const stop = new AbortController();
    const first = await runEval({
      data,
      modes: ['chat', 'reasoning'],
      outDir,
      createEngine: engineFor,
      maxTokens: 40,
      signal: stop.signal,
      onProgress: ({ done }) => {
        if (done === 2) stop.abort();
      },
    });
    expect(first.complete).toBe(false);
    expect(first.answers.map((answer) => [answer.mode, answer.index])).toEqual([
      ['chat', 0],
      ['chat', 1],
    ]);

    const seen: number[] = [];
    const second = await runEval({
      data,
      modes: ['chat', 'reasoning'],
      outDir,
      createEngine: engineFor,
      maxTokens: 40,
      onProgress: ({ done, total }) => {
        seen.push(done);
        expect(total).toBe(6);
      },
    });
    expect(second.complete).toBe(true);
    // It starts from the two saved answers and adds the other four, one at a time.
    expect(seen).toEqual([2, 3, 4, 5, 6]);
    const lines = (await readFile(join(outDir, ANSWERS_FILE), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(6);
    const answers = second.answers;
    expect(answers.filter((a) => a.mode === 'chat').map((a) => a.answer)).toEqual(
      Array(3).fill(FIXTURE_REPLIES.sft),
    );
    expect(answers.filter((a) => a.mode === 'reasoning').map((a) => a.answer)).toEqual([
      '4',
      '4',
      '4',
    ]);
  });
});
