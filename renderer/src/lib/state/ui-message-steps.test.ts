import { describe, expect, it } from 'vitest';
import { applyEvent, newAssistantMessage } from './ui-message';

describe('research steps on a live answer', () => {
  it('collect in order for the timeline and show the latest as progress', () => {
    const message = newAssistantMessage('search');
    applyEvent(message, { type: 'step', step: { kind: 'plan', text: 'Plan: “a”, “b”', count: 2 } });
    applyEvent(message, {
      type: 'step',
      step: { kind: 'search', text: 'Searched “a”: 3 sources', round: 1, query: 'a', count: 3 },
    });
    expect(message.steps?.map((step) => step.kind)).toEqual(['plan', 'search']);
    expect(message.progress).toBe('Searched “a”: 3 sources');
  });

  it('show a notice repeated by each search of the loop once', () => {
    const message = newAssistantMessage('search');
    for (let search = 0; search < 3; search++) {
      applyEvent(message, {
        type: 'ranked',
        method: 'bm25',
        ms: 1,
        note: 'Ranked by keywords only (BM25).',
      });
    }
    expect(message.notices).toEqual(['Ranked by keywords only (BM25).']);
  });
});
