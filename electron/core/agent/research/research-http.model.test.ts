import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerEvent, ConversationDetail } from '../../../shared';
import {
  ensureResearchFixtures,
  researchFixturePaths,
} from '../../../../models/fixtures/research/build-research-fixtures';
import { startSearxngServer, type SearxngTestServer } from '../../rag/testing/searxng-server';
import { readSse } from '../../server/testing/http-client';
import { startTestServer, type TestServer } from '../../server/testing/start-test-server';
import { stepsFromReasoning } from '../../../shared/research-step-lines';
import { RESEARCH_PAGES } from './testing/research-world';

const QUESTION =
  'Who wrote Alpha and Beta, and who founded the lab where the author of Alpha worked?';

let t: TestServer;
let searx: SearxngTestServer;

beforeAll(async () => {
  await ensureResearchFixtures();
  searx = await startSearxngServer(RESEARCH_PAGES);
  t = await startTestServer({
    flags: {
      model: researchFixturePaths.followUp,
      searchProvider: 'searxng',
      searxngUrl: searx.origin,
    },
  });
});

afterAll(async () => {
  await t?.close();
  await searx?.close();
});

async function askSse(body: unknown): Promise<AnswerEvent[]> {
  const response = await t.api('/api/ask', { method: 'POST', json: body });
  expect(response.status).toBe(200);
  const { payloads } = await readSse(response);
  return payloads.map((payload) => JSON.parse(payload) as AnswerEvent);
}

async function chat(model: string, content: string) {
  const response = await t.api('/v1/chat/completions', {
    method: 'POST',
    json: { model, temperature: 0, messages: [{ role: 'user', content }] },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as {
    model: string;
    choices: { message: { content: string; reasoning_content?: string } }[];
  };
}

describe('Deep Search and Auto over HTTP', () => {
  it('POST /api/ask with depth deep streams the timeline, and history keeps it with the answer', async () => {
    const events = await askSse({ mode: 'search', depth: 'deep', text: QUESTION });
    const steps = events.flatMap((event) => (event.type === 'step' ? [event.step.kind] : []));
    expect(steps.slice(0, 3)).toEqual(['plan', 'search', 'search']);
    expect(steps.at(-1)).toBe('conclusion');
    expect(events.find((event) => event.type === 'done')).toMatchObject({
      stats: { mode: 'search' },
    });
    const id = events.find((event) => event.type === 'conversation');
    const detail = (await (
      await t.api(`/api/conversations/${(id as { id: string }).id}`)
    ).json()) as ConversationDetail;
    const answer = detail.messages.find((message) => message.role === 'assistant');
    expect(answer?.reasoning).toContain('▸ Plan: “Who wrote Alpha?”, “Who wrote Beta?”');
    expect(answer?.reasoning).toMatch(/▸ Concluding from \d+ sources? after \d+ searches\./);
    // Reopened, the answer shows the same timeline: each step's time and what each analysis learned.
    const live = events.flatMap((event) => (event.type === 'step' ? [event.step] : []));
    const reopened = stepsFromReasoning(answer?.reasoning ?? '').steps;
    expect(reopened.map((step) => [step.kind, step.text, step.ms, step.known])).toEqual(
      live.map((step) => [step.kind, step.text, step.ms, step.known]),
    );
    const timed = reopened.filter((step) => step.kind !== 'stopped');
    expect(timed.length).toBeGreaterThan(4);
    expect(timed.every((step) => typeof step.ms === 'number')).toBe(true);
    expect(reopened.find((step) => step.kind === 'analysis')?.known).toBe(
      'Alpha is by Ann Lee [1]; Beta is by Bo Chen [2].',
    );
  });

  it('POST /api/ask takes Deep Search budgets per request, and refuses one out of range', async () => {
    const events = await askSse({
      mode: 'search',
      depth: 'deep',
      text: QUESTION,
      research: { rounds: 1 },
    });
    const stopped = events.find((event) => event.type === 'step' && event.step.kind === 'stopped');
    expect(stopped).toMatchObject({ step: { text: 'Stopped after 1 round (the round budget).' } });
    const refused = await t.api('/api/ask', {
      method: 'POST',
      json: { mode: 'search', depth: 'deep', text: QUESTION, research: { rounds: 0 } },
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain('research.rounds');
  });

  it('POST /api/ask with auto names the chosen mode first', async () => {
    const events = await askSse({ mode: 'chat', auto: true, text: 'hello there' });
    const first = events.find((event) => event.type === 'step');
    expect(first).toMatchObject({ step: { kind: 'route', choice: 'chat', by: 'rules' } });
  });

  it('POST /api/ask with auto keeps the previous answer’s mode for a follow-up in the same conversation', async () => {
    const first = await askSse({ mode: 'search', text: 'Who wrote Alpha?' });
    const id = (first.find((event) => event.type === 'conversation') as { id: string }).id;
    const followUp = await askSse({
      mode: 'chat',
      auto: true,
      conversationId: id,
      text: 'and what about Beta?',
    });
    expect(followUp.find((event) => event.type === 'step')).toMatchObject({
      step: {
        kind: 'route',
        choice: 'quick-search',
        by: 'rules',
        text: 'Auto chose Search (quick): a follow-up to the previous answer.',
      },
    });
    // A request may also say it: /generate's previous_route.
    const response = await t.api('/generate', {
      method: 'POST',
      json: { query: 'and what about Beta?', mode: 'auto', previous_route: 'reasoning' },
    });
    const body = (await response.json()) as { mode: string; reasoning: string };
    expect(body.mode).toBe('reasoning');
    expect(body.reasoning).toContain(
      'Auto chose Deep Reasoning: a follow-up to the previous answer.',
    );
  });

  it('lists ponder-research and ponder-auto, and puts the timeline in reasoning_content', async () => {
    const models = (await (await t.api('/v1/models')).json()) as { data: { id: string }[] };
    expect(models.data.map((model) => model.id)).toEqual(
      expect.arrayContaining(['ponder-research', 'ponder-auto']),
    );
    const research = await chat('ponder-research', QUESTION);
    expect(research.choices[0]?.message.reasoning_content).toContain(
      'Plan: “Who wrote Alpha?”, “Who wrote Beta?”',
    );
    const auto = await chat('ponder-auto', 'what is 17 * 23?');
    expect(auto.choices[0]?.message.reasoning_content).toContain(
      'Auto chose Deep Reasoning: arithmetic or a problem to work out.',
    );
  });

  it('POST /generate with mode auto reports the mode it chose', async () => {
    const response = await t.api('/generate', {
      method: 'POST',
      json: { query: 'Compare Alpha and Beta: who wrote each?', mode: 'auto' },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { mode: string; reasoning: string };
    expect(body.mode).toBe('search');
    expect(body.reasoning).toContain('Auto chose Search (deep)');
  });
});
