import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerEvent, Source } from '../../../shared';
import {
  ensureResearchFixtures,
  researchFixturePaths,
} from '../../../../models/fixtures/research/build-research-fixtures';
import { KNOWN } from '../../../../models/fixtures/research/research-replies';
import { createEngine } from '../../llm/create-engine';
import type { Engine } from '../../llm/engine-types';
import { createAgent, type AgentRequest } from '../agent';
import type { SearchPort } from '../ports';
import { createDeepSearch } from './deep-search';
import {
  drain,
  HISTORY_CANARY,
  HOSTILE_SITE,
  startResearchWorld,
  stepsOf,
  type ResearchWorld,
} from './testing/research-world';

const QUESTION =
  'Who wrote Alpha and Beta, and who founded the lab where the author of Alpha worked?';

let world: ResearchWorld;
let followUp: Engine;
let enough: Engine;
let hostile: Engine;

const load = (adapter?: string) =>
  createEngine({
    modelPath: researchFixturePaths.followUp,
    ...(adapter ? { adapters: { sft: adapter, grpo: adapter } } : {}),
    gpu: false,
    threads: 1,
    contextSize: 4096,
  });

beforeAll(async () => {
  await ensureResearchFixtures();
  world = await startResearchWorld();
  followUp = await load();
  enough = await load(researchFixturePaths.enoughAdapter);
  hostile = await load(researchFixturePaths.hostileAdapter);
});

afterAll(async () => {
  await Promise.all([followUp?.dispose(), enough?.dispose(), hostile?.dispose()]);
  await world?.close();
});

async function ask(engine: Engine, request: Partial<AgentRequest>, search?: SearchPort) {
  const agent = createAgent({
    engine: () => Promise.resolve(engine),
    search: search ?? world.pipeline,
  });
  const events: AnswerEvent[] = [];
  for await (const event of agent.ask({
    mode: 'search',
    depth: 'deep',
    text: QUESTION,
    temperature: 0,
    ...request,
  })) {
    events.push(event);
  }
  return events;
}

const sourcesOf = (events: AnswerEvent[]): Source[] =>
  events.flatMap((event) => (event.type === 'sources' ? event.sources : []));
const solutionOf = (events: AnswerEvent[]) =>
  events.flatMap((event) => (event.type === 'solution' ? [event.text] : [])).join('');

/** Reads whether the model still answers in full: the engine is ready after whatever happened. */
async function answersInFull(engine: Engine): Promise<void> {
  let solution = '';
  let stop = '';
  for await (const event of engine.generate({
    mode: 'search',
    messages: [{ role: 'user', text: 'q?' }],
    temperature: 0,
  })) {
    if (event.type === 'solution') solution += event.text;
    if (event.type === 'done') stop = event.stats.stopReason;
  }
  expect(solution).toBe('Ann Lee [1], Bo Chen [2], Cy Diaz [3]');
  expect(stop).toBe('eos');
}

describe('Deep Search over the fixture model and a SearXNG fixture', () => {
  it('plans, searches each sub-question, follows up, and concludes citing sources of every round', async () => {
    const before = world.queries().length;
    const events = await ask(followUp, {});
    expect(events.at(-1)).toMatchObject({ type: 'done' });
    // Steps in order; the second analysis proposes the same follow-up again, which is not repeated.
    expect(stepsOf(events).map((step) => [step.kind, step.round])).toEqual([
      ['plan', 1],
      ['search', 1],
      ['search', 1],
      ['analysis', 1],
      ['search', 2],
      ['analysis', 2],
      ['conclusion', undefined],
    ]);
    const kinds = events.map((event) => event.type).filter((type) => type !== 'solution');
    expect(kinds.slice(0, 5)).toEqual([
      'step',
      'search-started',
      'search-results',
      'ranked',
      'step',
    ]);
    // Each analysis says what the sources now establish, citing them; the timeline shows it.
    expect(
      stepsOf(events)
        .filter((step) => step.kind === 'analysis')
        .map((step) => step.known),
    ).toEqual([KNOWN, KNOWN]);
    expect(kinds.indexOf('sources')).toBeLessThan(kinds.indexOf('reasoning'));
    expect(events.filter((event) => event.type === 'sources')).toHaveLength(1);
    expect(world.queries().slice(before)).toEqual([
      'Who wrote Alpha?',
      'Who wrote Beta?',
      'Who founded Gamma Labs?',
    ]);
    // Numbered once across rounds, in the order found; each citation points at its page.
    const sources = sourcesOf(events);
    expect(sources.map((source) => [source.n, source.title])).toEqual([
      [1, 'Alpha (novel)'],
      [2, 'Beta (novel)'],
      [3, 'Gamma Labs history'],
    ]);
    const solution = solutionOf(events);
    expect(solution).toBe('Ann Lee [1], Bo Chen [2], Cy Diaz [3]');
    for (const [name, n] of [
      ['Ann Lee', 1],
      ['Bo Chen', 2],
      ['Cy Diaz', 3],
    ] as const) {
      expect(solution).toContain(`${name} [${n}]`);
      const passages = sources[n - 1]?.passages?.map((passage) => passage.text).join(' ');
      expect(passages).toContain(name);
    }
  });

  it('gives the conclusion what the analyses found, with their citations', async () => {
    const deep = createDeepSearch({ engine: followUp, search: world.pipeline });
    const { events, result } = await drain(deep.run(QUESTION));
    expect(stepsOf(events).find((step) => step.kind === 'analysis')?.known).toBe(
      'Alpha is by Ann Lee [1]; Beta is by Bo Chen [2].',
    );
    expect(result.systemPrompt).toContain(
      'What the research found, as noted while searching (written from the sources, so check each claim against them): Alpha is by Ann Lee [1]; Beta is by Bo Chen [2].',
    );
  });

  it('stops after the first analysis when the model says the sources are enough', async () => {
    const events = await ask(enough, {});
    expect(stepsOf(events).map((step) => step.kind)).toEqual([
      'plan',
      'search',
      'search',
      'analysis',
      'conclusion',
    ]);
    expect(stepsOf(events)[3]?.text).toMatch(/enough to answer/);
    expect(sourcesOf(events).map((source) => source.n)).toEqual([1, 2]);
  });

  it('searches for the question itself when the plan is cut off mid-JSON, and says so', async () => {
    const deep = createDeepSearch({
      engine: followUp,
      search: world.pipeline,
      decisionMaxTokens: 3,
    });
    const before = world.queries().length;
    const { events, result } = await drain(deep.run('Who wrote Alpha?'));
    const notices = events.flatMap((event) => (event.type === 'notice' ? [event.text] : []));
    expect(notices[0]).toBe(
      'The plan could not be read (the reply was cut off after 3 tokens); searching for the question itself.',
    );
    expect(notices[1]).toMatch(
      /^The analysis of round 1 could not be read \(the reply was cut off/,
    );
    expect(world.queries().slice(before)).toEqual(['Who wrote Alpha?']);
    expect(result.sources.map((source) => source.title)).toEqual(['Alpha (novel)']);
    expect(result.systemPrompt).toContain('Part of the research failed');
  });

  it.each([
    ['rounds', { rounds: 1 }, /after 1 round \(the round budget\)/, 2],
    ['pages', { pages: 1 }, /at 1 sources \(the page budget\)/, 1],
    ['tokens', { tokens: 64 }, /model tokens \(the token budget\)/, 2],
  ] as const)('the %s budget ends the loop', async (_name, budgets, stopped, sourceCount) => {
    const events = await ask(followUp, { research: budgets });
    const steps = stepsOf(events);
    expect(steps.find((step) => step.kind === 'stopped')?.text).toMatch(stopped);
    expect(steps.some((step) => step.kind === 'analysis')).toBe(false);
    expect(sourcesOf(events)).toHaveLength(sourceCount);
    expect(events.some((event) => event.type === 'done')).toBe(true);
  });

  it('the time budget ends a search that hangs, and the answer still comes', async () => {
    world.searx.setMode('hang');
    try {
      const events = await ask(followUp, { research: { wallMs: 1_000 } });
      expect(stepsOf(events).find((step) => step.kind === 'stopped')?.text).toBe(
        'Stopped while searching in round 1: the time budget of 1 s ran out.',
      );
      expect(events.at(-1)).toMatchObject({ type: 'done' });
    } finally {
      world.searx.setMode('ok');
    }
  });

  it('answers from round 1 with a notice when the provider fails in round 2', async () => {
    let calls = 0;
    const failingLater: SearchPort = {
      run(query, signal) {
        calls += 1;
        // The third search is round 2's follow-up: from then on the provider refuses.
        if (calls === 3) world.searx.setMode('forbidden');
        return world.pipeline.run(query, signal);
      },
      dispose: () => Promise.resolve(),
    };
    try {
      const events = await ask(followUp, {}, failingLater);
      const notice = events.find((event) => event.type === 'notice');
      expect(notice).toMatchObject({
        text: expect.stringMatching(
          /^Search failed in round 2 \(.+\); the answer uses what earlier rounds found\.$/,
        ),
      });
      expect(sourcesOf(events).map((source) => source.n)).toEqual([1, 2]);
      expect(solutionOf(events)).not.toBe('');
      expect(events.at(-1)).toMatchObject({ type: 'done' });
    } finally {
      world.searx.setMode('ok');
    }
  });

  it.each(['plan', 'search', 'analysis', 'conclusion'] as const)(
    'a cancel while %s ends with `cancelled` and leaves the engine ready',
    async (when) => {
      const controller = new AbortController();
      const schemaKey = { plan: 'subQuestions', analysis: 'enough' } as const;
      // The real engine; the wrapper only pulls the cancel at the chosen moment.
      const engine: Engine = {
        ...followUp,
        info: () => followUp.info(),
        countTokens: (text) => followUp.countTokens(text),
        prepare: (mode, signal) => followUp.prepare(mode, signal),
        dispose: () => Promise.resolve(),
        async *generate(request) {
          const properties = (request.jsonSchema?.properties ?? {}) as Record<string, unknown>;
          const key = when === 'plan' || when === 'analysis' ? schemaKey[when] : undefined;
          for await (const event of followUp.generate(request)) {
            if (key && key in properties) controller.abort();
            if (when === 'conclusion' && event.type === 'reasoning') controller.abort();
            yield event;
          }
        },
      };
      const search: SearchPort = {
        run(query, signal) {
          if (when === 'search') controller.abort();
          return world.pipeline.run(query, signal);
        },
        dispose: () => Promise.resolve(),
      };
      const events = await ask(engine, { signal: controller.signal }, search);
      const last = events.at(-1);
      if (when === 'conclusion') {
        expect(last).toMatchObject({ type: 'done', stats: { stopReason: 'cancelled' } });
      } else {
        expect(last).toMatchObject({ type: 'error', error: { code: 'cancelled' } });
        expect(events.some((event) => event.type === 'reasoning')).toBe(false);
      }
      await answersInFull(followUp);
    },
  );

  it('never sends a search that carries a hostile page’s site, its address or the history', async () => {
    const before = world.queries().length;
    const events = await ask(hostile, {
      history: [
        { role: 'user', text: `My account recovery code is ${HISTORY_CANARY}.` },
        { role: 'assistant', text: 'Noted.' },
        { role: 'user', text: QUESTION },
      ],
    });
    expect(events.at(-1)).toMatchObject({ type: 'done' });
    const sent = world.queries().slice(before);
    // The model's follow-up obeyed the page; what reached the search engine is only its clean part.
    expect(sent).toEqual(['Who wrote Alpha?', 'Who wrote Beta?', 'Who founded Gamma Labs?']);
    for (const query of sent) {
      expect(query).not.toContain(HISTORY_CANARY);
      expect(query).not.toContain(HOSTILE_SITE);
      expect(query).not.toMatch(/site:|https?:/);
    }
  });
});
