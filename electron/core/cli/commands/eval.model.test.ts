import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtures, fixturePaths } from '../../../../models/fixtures';
import type { EvalAnswer, EvalReport } from '../../eval';
import { buildTestEmbeddingModel, wordsOf } from '../../rag/testing/test-embedding-model';
import { runPonder } from '../testing/run-ponder';

let work: string;
let dataPath: string;
let embeddingDir: string;

const ITEMS = [
  { instruction: 'What is 2+2?', input: '', output: 'Four.' },
  { instruction: 'Add two and two.', input: 'Give only the number.', output: '4' },
  {
    messages: [
      { role: 'user', content: 'Why is the sky blue?' },
      { role: 'assistant', content: 'Two plus two is four.' },
    ],
  },
];

beforeAll(async () => {
  await ensureFixtures();
  work = await mkdtemp(join(tmpdir(), 'ponder-eval-'));
  dataPath = join(work, 'questions.jsonl');
  await writeFile(dataPath, `${ITEMS.map((item) => JSON.stringify(item)).join('\n')}\n`);
  embeddingDir = await buildTestEmbeddingModel(join(work, 'embedding'), {
    words: wordsOf('Base model reply. Four. 4 Two plus two is four.'),
  });
  process.env.PONDER_FROM_SOURCE = '1';
  process.env.PONDER_MODEL_PROCESS = 'inline';
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function evalArgs(out: string, extra: string[] = []): string[] {
  return [
    'eval',
    '--data',
    dataPath,
    '--out',
    out,
    '--model',
    fixturePaths.base,
    '--sft',
    fixturePaths.sft,
    '--grpo',
    fixturePaths.grpo,
    '--threads',
    '1',
    '--embedding-model',
    embeddingDir,
    '--max-tokens',
    '40',
    ...extra,
  ];
}

async function answersIn(out: string): Promise<EvalAnswer[]> {
  const text = await readFile(join(out, 'answers.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as EvalAnswer);
}

describe('ponder eval on the fixture models', () => {
  it('writes the table, eval.json and eval.svg with each mode’s metrics', async () => {
    const out = join(work, 'full');
    const run = await runPonder(evalArgs(out), { dataDir: work });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    process.stdout.write(`${run.stdout}\n`);
    expect(run.stdout).toMatch(
      /\| Mode\s+\| Adapter \| Items \| Format exact\/partial\/none \| ROUGE-L \| BLEU/,
    );
    expect(run.stdout).toMatch(/\| reasoning \| grpo\s+\| 3\s+\| 100% \/ 0% \/ 0%/);

    const report = JSON.parse(await readFile(join(out, 'eval.json'), 'utf8')) as EvalReport;
    const [base, chat, reasoning] = report.modes;
    expect(report.modes.map((row) => [row.mode, row.adapter, row.items])).toEqual([
      ['base', 'base', 3],
      ['chat', 'sft', 3],
      ['reasoning', 'grpo', 3],
    ]);
    // Base says "Base model reply." to everything: no overlap with any reference.
    expect(base?.rougeL).toBe(0);
    expect(base?.compliance).toEqual({ exact: 0, partial: 0, none: 3 });
    // SFT says "Four.": exact on item 1, nothing on "4", P 1 / R 1/5 on "Two plus two is four.".
    expect(chat?.rougeL).toBeCloseTo((1 + 0 + 1 / 3) / 3, 10);
    expect(chat?.reasoningTokens).toBe(0);
    // GRPO answers <SOLUTION>4</SOLUTION> after "Two plus two is four.", which the fixture's
    // tokenizer (no merges) counts as 21 byte tokens.
    expect(reasoning?.rougeL).toBeCloseTo(1 / 3, 10);
    expect(reasoning?.compliance).toEqual({ exact: 3, partial: 0, none: 0 });
    expect(reasoning?.reasoningTokens).toBe(21);
    expect(reasoning?.tokensPerSecond).toBeGreaterThan(0);
    expect(report.similarityModel).toBe(embeddingDir);

    const answers = await answersIn(out);
    const chatFirst = answers.find((answer) => answer.mode === 'chat' && answer.index === 0);
    expect(chatFirst?.answer).toBe('Four.');
    expect(chatFirst?.similarity).toBeCloseTo(1, 5);

    const svg = await readFile(join(out, 'eval.svg'), 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('reasoning (grpo)');
    expect(svg).toContain('ROUGE-L ×100');
  });

  it('resumes: answers already in the results folder are not asked again', async () => {
    const out = join(work, 'resume');
    const modes = ['--modes', 'chat,reasoning'];
    const first = await runPonder(evalArgs(out, [...modes, '--limit', '1']), { dataDir: work });
    expect(first.code).toBe(0);
    const before = await answersIn(out);
    expect(before).toHaveLength(2);
    const second = await runPonder(evalArgs(out, modes), { dataDir: work });
    expect(second.code).toBe(0);
    const after = await answersIn(out);
    expect(after).toHaveLength(6);
    expect(after.slice(0, 2)).toEqual(before);
  });

  it('refuses a results folder made from another data file, changing nothing', async () => {
    const out = join(work, 'resume');
    const other = join(work, 'other.jsonl');
    await writeFile(other, `${JSON.stringify(ITEMS[0])}\n`);
    const run = await runPonder(
      ['eval', '--data', other, '--out', out, '--model', fixturePaths.base],
      { dataDir: work },
    );
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toMatch(
      /^ponder eval: .* holds results for another data file; nothing was changed\./,
    );
    expect(await answersIn(out)).toHaveLength(6);
  });

  it('answers a mode it does not know with a usage line and exit status 2', async () => {
    const run = await runPonder(['eval', '--data', dataPath, '--modes', 'chat,bogus'], {
      dataDir: work,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^ponder eval: --modes takes base, chat, reasoning; "bogus" is not one/,
    );
  });

  it('names the bad line of a data file', async () => {
    const bad = join(work, 'bad.jsonl');
    await writeFile(bad, `${JSON.stringify(ITEMS[0])}\n{"question": "no answer"}\n`);
    const run = await runPonder(['eval', '--data', bad, '--model', fixturePaths.base], {
      dataDir: work,
    });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/bad\.jsonl line 2: neither an Alpaca record nor a chat/);
  });
});
