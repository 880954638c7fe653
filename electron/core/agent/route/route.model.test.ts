import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerEvent, RouteChoice } from '../../../shared';
import {
  ensureResearchFixtures,
  researchFixturePaths,
} from '../../../../models/fixtures/research/build-research-fixtures';
import { createEngine } from '../../llm/create-engine';
import type { Engine } from '../../llm/engine-types';
import { createAgent } from '../agent';
import {
  startResearchWorld,
  stepsOf,
  type ResearchWorld,
} from '../research/testing/research-world';
import { routeQuestion } from './route-question';

let engine: Engine;
let world: ResearchWorld;

beforeAll(async () => {
  await ensureResearchFixtures();
  world = await startResearchWorld();
  engine = await createEngine({
    modelPath: researchFixturePaths.followUp,
    gpu: false,
    threads: 1,
    contextSize: 4096,
  });
});

afterAll(async () => {
  await engine?.dispose();
  await world?.close();
});

async function askAuto(text: string, previousRoute?: RouteChoice): Promise<AnswerEvent[]> {
  const agent = createAgent({ engine: () => Promise.resolve(engine), search: world.pipeline });
  const events: AnswerEvent[] = [];
  for await (const event of agent.ask({
    mode: 'chat',
    auto: true,
    text,
    temperature: 0,
    ...(previousRoute ? { previousRoute } : {}),
  })) {
    events.push(event);
  }
  return events;
}

describe('Auto on the fixture model', () => {
  it('asks the model, constrained to the four choices, only when the rules are unsure', async () => {
    // The fixture model's grammar-constrained reply is always deep-search.
    expect(await routeQuestion('how do vaccines train the immune system', { engine })).toEqual({
      choice: 'deep-search',
      by: 'model',
      reason: 'the model judged it from the question',
    });
    expect(await routeQuestion('hello', { engine })).toMatchObject({ choice: 'chat', by: 'rules' });
  });

  it('names the chosen mode first, then answers in it (a rule picked Deep Search)', async () => {
    const events = await askAuto('Compare Alpha and Beta: who wrote each?');
    expect(events[0]).toEqual({
      type: 'step',
      step: expect.objectContaining({
        kind: 'route',
        choice: 'deep-search',
        by: 'rules',
        text: 'Auto chose Search (deep): it needs facts from more than one place.',
      }),
    });
    expect(
      stepsOf(events)
        .map((step) => step.kind)
        .slice(0, 3),
    ).toEqual(['route', 'plan', 'search']);
    const done = events.find((event) => event.type === 'done');
    expect(done).toMatchObject({ stats: { mode: 'search' } });
  });

  it('keeps the previous answer’s mode for a follow-up, and asks the model without one', async () => {
    const followUp = await askAuto('and what about Beta?', 'quick-search');
    expect(stepsOf(followUp)[0]).toMatchObject({
      kind: 'route',
      choice: 'quick-search',
      by: 'rules',
      text: 'Auto chose Search (quick): a follow-up to the previous answer.',
    });
    expect(followUp.find((event) => event.type === 'done')).toMatchObject({
      stats: { mode: 'search' },
    });
    expect(stepsOf(followUp).some((step) => step.kind === 'plan')).toBe(false);
    const chatFollowUp = await askAuto('and what about Beta?', 'chat');
    expect(stepsOf(chatFollowUp)).toEqual([
      expect.objectContaining({ kind: 'route', choice: 'chat', by: 'rules' }),
    ]);
    expect(chatFollowUp.some((event) => event.type === 'search-started')).toBe(false);
    // Without a previous answer no rule is sure; the fixture model decides (always deep-search).
    const first = await askAuto('and what about Beta?');
    expect(stepsOf(first)[0]).toMatchObject({ kind: 'route', choice: 'deep-search', by: 'model' });
  });

  it('answers a greeting in chat without searching', async () => {
    const events = await askAuto('hi there');
    expect(stepsOf(events)).toEqual([expect.objectContaining({ kind: 'route', choice: 'chat' })]);
    expect(events.some((event) => event.type === 'search-started')).toBe(false);
    expect(events.find((event) => event.type === 'done')).toMatchObject({
      stats: { mode: 'chat' },
    });
  });
});
