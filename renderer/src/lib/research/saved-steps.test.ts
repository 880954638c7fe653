import { describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../../../electron/shared';
import { fromStored } from '../state/ui-message';
import { savedStepLines } from '../../../../electron/shared/research-step-lines';
import { stepsFromReasoning } from './saved-steps';

const saved = [
  '▸ Plan: “who wrote Alpha”, “when was Beta released”',
  '▸ Searched “who wrote Alpha”: 3 sources',
  '▸ Searched “when was Beta released”: 2 sources, 1 new',
  '▸ Round 1: still missing, searching “Beta release year”',
  '▸ Searched “Beta release year”: 2 sources',
  '▸ Stopped after 2 rounds (the round budget).',
  '▸ Concluding from 6 sources after 3 searches.',
  'The model thinks about ▸ arrows here.',
].join('\n');

describe('a saved Deep Search answer reopened', () => {
  it('gets its timeline back, step by step, with rounds', () => {
    const { steps } = stepsFromReasoning(saved);
    expect(steps.map((step) => [step.kind, step.round])).toEqual([
      ['plan', 1],
      ['search', 1],
      ['search', 1],
      ['analysis', 1],
      ['search', 2],
      ['stopped', undefined],
      ['conclusion', undefined],
    ]);
    expect(steps[1]?.text).toBe('Searched “who wrote Alpha”: 3 sources');
  });

  it('keeps only the model’s own reasoning in the reasoning panel', () => {
    expect(stepsFromReasoning(saved).reasoning).toBe('The model thinks about ▸ arrows here.');
  });

  it('leaves reasoning without a timeline as it is', () => {
    expect(stepsFromReasoning('Plain thinking.\n▸ not a step')).toEqual({
      steps: [],
      reasoning: 'Plain thinking.\n▸ not a step',
    });
  });

  it('shows the timeline when history loads the message', () => {
    const stored: StoredMessage = {
      id: 'm1',
      conversationId: 'c1',
      role: 'assistant',
      mode: 'search',
      text: '',
      reasoning: saved,
      solution: 'Alpha came first [1].',
      sources: [],
      status: 'complete',
      created: 0,
    };
    const message = fromStored(stored);
    expect(message.steps).toHaveLength(7);
    expect(message.reasoning).toBe('The model thinks about ▸ arrows here.');
  });

  it('gets back each step’s time and what each analysis learned', () => {
    const { steps, reasoning } = stepsFromReasoning(
      [
        '▸ Auto chose Search (deep): it needs facts from more than one place. [0 ms]',
        '▸ Plan: “Who wrote Alpha?” [412 ms]',
        '▸ Searched “Who wrote Alpha?”: 1 source [1830 ms]',
        '▸ Round 1: still missing, searching “Who founded Gamma Labs?” [655 ms]',
        '▸ Known so far: Alpha is by Ann Lee [1].',
        '▸ Stopped after 2 rounds (the round budget).',
        '▸ Concluding from 3 sources after 3 searches. [4102 ms]',
        'Thinking.',
      ].join('\n'),
    );
    expect(steps.map((step) => [step.kind, step.ms])).toEqual([
      ['route', 0],
      ['plan', 412],
      ['search', 1830],
      ['analysis', 655],
      ['stopped', undefined],
      ['conclusion', 4102],
    ]);
    expect(steps[2]?.text).toBe('Searched “Who wrote Alpha?”: 1 source');
    expect(steps[3]).toMatchObject({
      text: 'Round 1: still missing, searching “Who founded Gamma Labs?”',
      known: 'Alpha is by Ann Lee [1].',
    });
    expect(steps[0]?.choice).toBe('deep-search');
    expect(reasoning).toBe('Thinking.');
  });

  it('reads back exactly what was saved while the answer streamed', () => {
    const live = [
      { kind: 'plan', round: 1, count: 1, ms: 301, text: 'Plan: “Who wrote Alpha?”' },
      {
        kind: 'search',
        round: 1,
        count: 2,
        ms: 1204,
        text: 'Searched “Who wrote Alpha?”: 2 sources',
      },
      {
        kind: 'analysis',
        round: 1,
        count: 0,
        ms: 88,
        known: 'Alpha is by Ann Lee [1].',
        text: 'Round 1: the sources are enough to answer.',
      },
      { kind: 'conclusion', count: 2, ms: 1700, text: 'Concluding from 2 sources after 1 search.' },
    ] as const;
    const { steps } = stepsFromReasoning(`${live.map(savedStepLines).join('')}Thinking.`);
    expect(steps.map(({ kind, ms, known, text }) => ({ kind, ms, known, text }))).toEqual(
      live.map(({ kind, ms, text, ...rest }) => ({
        kind,
        ms,
        known: 'known' in rest ? rest.known : undefined,
        text,
      })),
    );
  });

  it('gets back what Auto chose, so the other modes can be offered again', () => {
    const { steps, reasoning } = stepsFromReasoning(
      '▸ Auto chose Search (deep): it needs facts from more than one place.\n▸ Plan: “a”\nThinking.',
    );
    expect(steps[0]).toEqual({
      kind: 'route',
      choice: 'deep-search',
      text: 'Auto chose Search (deep): it needs facts from more than one place.',
    });
    expect(steps[1]).toMatchObject({ kind: 'plan', round: 1 });
    expect(reasoning).toBe('Thinking.');
  });
});
