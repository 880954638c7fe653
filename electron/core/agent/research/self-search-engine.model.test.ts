import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerEvent, Source } from '../../../shared';
import {
  ensureResearchFixtures,
  researchFixturePaths,
} from '../../../../models/fixtures/research/build-research-fixtures';
import { createEngine } from '../../llm/create-engine';
import type { Engine } from '../../llm/engine-types';
import { withSelfSearch } from './self-search-engine';
import { startResearchWorld, stepsOf, type ResearchWorld } from './testing/research-world';

let model: Engine;
let world: ResearchWorld;

beforeAll(async () => {
  await ensureResearchFixtures();
  world = await startResearchWorld();
  model = await createEngine({
    modelPath: researchFixturePaths.selfSearch,
    gpu: false,
    threads: 1,
    contextSize: 4096,
  });
});

afterAll(async () => {
  await model?.dispose();
  await world?.close();
});

async function answer(engine: Engine): Promise<AnswerEvent[]> {
  const events: AnswerEvent[] = [];
  for await (const event of engine.generate({
    mode: 'search',
    messages: [{ role: 'user', text: 'Who wrote Alpha?' }],
    temperature: 0,
  })) {
    events.push(event);
  }
  return events;
}

const textOf = (events: AnswerEvent[]) =>
  events.flatMap((event) => (event.type === 'text' ? [event.text] : [])).join('');

describe('a model that searches by itself (Search-R1 tags)', () => {
  it('stops at </search>, searches, feeds the passages back in <information>, and continues', async () => {
    const before = world.queries().length;
    let saved: Source[] = [];
    const events = await answer(
      withSelfSearch(model, world.pipeline, { onSources: (sources) => (saved = sources) }),
    );
    expect(world.queries().slice(before)).toEqual(['Who wrote Alpha']);
    expect(stepsOf(events)).toEqual([
      expect.objectContaining({
        kind: 'self-search',
        query: 'Who wrote Alpha',
        count: 1,
        round: 1,
      }),
    ]);
    // The search request is not part of the answer; the answer cites the source it was given.
    expect(textOf(events)).toBe('Ann Lee wrote Alpha [1].');
    expect(saved.map((source) => [source.n, source.title])).toEqual([[1, 'Alpha (novel)']]);
    expect(saved[0]?.passages?.map((passage) => passage.text).join(' ')).toContain('Ann Lee');
    const done = events.filter((event) => event.type === 'done');
    expect(done).toEqual([
      expect.objectContaining({ stats: expect.objectContaining({ stopReason: 'eos' }) }),
    ]);
  });

  it('leaves the tags as text once the search budget is spent', async () => {
    const before = world.queries().length;
    const events = await answer(withSelfSearch(model, world.pipeline, { maxSearches: 0 }));
    expect(world.queries().length).toBe(before);
    expect(textOf(events)).toBe('<search>Who wrote Alpha</search>');
    expect(stepsOf(events)).toEqual([]);
  });
});
