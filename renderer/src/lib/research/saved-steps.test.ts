import { describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../../../electron/shared';
import { fromStored } from '../state/ui-message';
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
