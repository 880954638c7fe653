import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPonder } from '../cli/testing/run-ponder';
import { REASONING_FORMAT_PROMPT, systemPromptFor } from '../llm/system-prompts';
import { REASONING_TAGS } from '../reasoning/reasoning-tags';
import { exportTrainingJsonl } from './export-training';
import { openMemoryStore, type MemoryStore } from './index';
import { useTempDir } from './test-support/temp-dir';

const tempDir = useTempDir();

/** Two conversations: rated, unrated, thumbs-down, regenerated and Search answers. */
function fill(store: MemoryStore): void {
  const first = store.createConversation();
  const ask = (conversationId: string, text: string) =>
    store.addMessage({ conversationId, role: 'user', text });
  ask(first.id, 'What is 2+2?');
  const four = store.addMessage({
    conversationId: first.id,
    role: 'assistant',
    mode: 'chat',
    adapter: 'sft',
    text: 'Four.',
  });
  store.setRating(four.id, 1);
  ask(first.id, 'And 3+3?');
  store.addMessage({
    conversationId: first.id,
    role: 'assistant',
    mode: 'reasoning',
    adapter: 'grpo',
    text: '',
    reasoning: 'Three plus three is six.',
    solution: '6',
  });
  ask(first.id, 'And 4+4?');
  const wrong = store.addMessage({
    conversationId: first.id,
    role: 'assistant',
    mode: 'chat',
    text: 'Nine.',
  });
  store.setRating(wrong.id, -1);

  const second = store.createConversation();
  ask(second.id, 'Capital of France?');
  const lyon = store.addMessage({
    conversationId: second.id,
    role: 'assistant',
    mode: 'chat',
    text: 'Lyon.',
  });
  const paris = store.addMessage({
    conversationId: second.id,
    role: 'assistant',
    mode: 'chat',
    text: 'Paris.',
  });
  store.addAnswerVersion(lyon.id, paris.id);
  store.setRating(paris.id, 1);
  ask(second.id, 'Latest news?');
  const news = store.addMessage({
    conversationId: second.id,
    role: 'assistant',
    mode: 'search',
    text: 'Something [1].',
  });
  store.setRating(news.id, 1);
}

function lines(text: string): Record<string, unknown>[] {
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('training-data export', () => {
  it('sft-jsonl: one ChatML messages list per answer, thumbs-down, superseded and Search answers left out', () => {
    const store = openMemoryStore({ path: join(tempDir(), 'a.db') });
    fill(store);
    const { text, count } = exportTrainingJsonl(store, { format: 'sft-jsonl' });
    store.close();
    expect(count).toBe(3);
    expect(lines(text)).toEqual([
      {
        messages: [
          { role: 'system', content: systemPromptFor('chat') },
          { role: 'user', content: 'What is 2+2?' },
          { role: 'assistant', content: 'Four.' },
        ],
      },
      {
        messages: [
          { role: 'system', content: REASONING_FORMAT_PROMPT },
          { role: 'user', content: 'What is 2+2?' },
          { role: 'assistant', content: 'Four.' },
          { role: 'user', content: 'And 3+3?' },
          {
            role: 'assistant',
            content:
              '<start_working_out>Three plus three is six.<end_working_out><SOLUTION>6</SOLUTION>',
          },
        ],
      },
      {
        messages: [
          { role: 'system', content: systemPromptFor('chat') },
          { role: 'user', content: 'Capital of France?' },
          { role: 'assistant', content: 'Paris.' },
        ],
      },
    ]);
  });

  it('--rated up keeps only the answers rated thumbs up', () => {
    const store = openMemoryStore({ path: join(tempDir(), 'a.db') });
    fill(store);
    const { text } = exportTrainingJsonl(store, { format: 'sft-jsonl', rated: 'up' });
    store.close();
    const finals = lines(text).map(
      (line) => (line.messages as { content: string }[]).at(-1)?.content,
    );
    expect(finals).toEqual(['Four.', 'Paris.']);
  });

  it("leaves out Ponder's own notes saved in the reasoning (Auto's choice), teaching only the model's words", () => {
    const store = openMemoryStore({ path: join(tempDir(), 'a.db') });
    const conversation = store.createConversation();
    store.addMessage({ conversationId: conversation.id, role: 'user', text: 'What is 6*7?' });
    store.addMessage({
      conversationId: conversation.id,
      role: 'assistant',
      mode: 'reasoning',
      text: '',
      reasoning: '▸ Auto chose Deep Reasoning: arithmetic or a problem to work out.\nSix sevens.',
      solution: '42',
    });
    const sft = lines(exportTrainingJsonl(store, { format: 'sft-jsonl' }).text);
    const grpo = lines(exportTrainingJsonl(store, { format: 'grpo-jsonl' }).text);
    store.close();
    const { reasoningStart, reasoningEnd, solutionStart, solutionEnd } = REASONING_TAGS;
    expect((sft[0]?.messages as { content: string }[]).at(-1)?.content).toBe(
      `${reasoningStart}Six sevens.${reasoningEnd}${solutionStart}42${solutionEnd}`,
    );
    expect(grpo[0]).toMatchObject({ answer: '42', reasoning: 'Six sevens.' });
  });

  it('grpo-jsonl: prompt with the reasoning-format instruction, the reference answer and the reasoning', () => {
    const store = openMemoryStore({ path: join(tempDir(), 'a.db') });
    fill(store);
    const { text } = exportTrainingJsonl(store, { format: 'grpo-jsonl' });
    store.close();
    const [first, second] = lines(text);
    expect(first).toEqual({
      prompt: [
        { role: 'system', content: REASONING_FORMAT_PROMPT },
        { role: 'user', content: 'What is 2+2?' },
      ],
      answer: 'Four.',
      reasoning: '',
    });
    expect(second).toMatchObject({ answer: '6', reasoning: 'Three plus three is six.' });
    expect((second?.prompt as unknown[]).length).toBe(4);
  });

  it('ponder history export --format sft-jsonl --rated up writes the file and says how many', async () => {
    const dir = tempDir();
    const db = join(dir, 'ponder.db');
    const store = openMemoryStore({ path: db });
    fill(store);
    store.close();
    const out = join(dir, 'liked.jsonl');
    process.env.PONDER_FROM_SOURCE = '1';
    const run = await runPonder(
      ['history', 'export', '--format', 'sft-jsonl', '--rated', 'up', '--db', db, '--out', out],
      { dataDir: dir },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`Exported 2 training examples to ${out}.\n`);
    expect(lines(readFileSync(out, 'utf8'))).toHaveLength(2);
    const wrong = await runPonder(
      ['history', 'export', '--format', 'sft-jsonl', '--rated', 'down', '--db', db],
      {
        dataDir: dir,
      },
    );
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--rated takes "up"/);
  });
});
