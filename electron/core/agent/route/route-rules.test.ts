import { describe, expect, it } from 'vitest';
import { LABELLED_QUESTIONS } from './labelled-questions';
import { routeByRules } from './route-rules';
import { ROUTE_CHOICES } from './route-types';

const NOW = new Date('2026-12-02T00:00:00Z');

describe("Auto's fast rules", () => {
  it('decide the plain cases and say why', () => {
    expect(routeByRules('hello!')).toMatchObject({ choice: 'chat', by: 'rules' });
    expect(routeByRules('what is 17 * 23?')).toMatchObject({
      choice: 'reasoning',
      reason: 'arithmetic or a problem to work out',
    });
    expect(routeByRules('latest version of Node.js')).toMatchObject({ choice: 'quick-search' });
    expect(routeByRules('what happened in 2026', { now: NOW })).toMatchObject({
      choice: 'quick-search',
    });
    expect(routeByRules('what happened in 1990', { now: NOW })).toBeUndefined();
    expect(routeByRules('who was born first, Ada Lovelace or Charles Darwin?')).toMatchObject({
      choice: 'deep-search',
    });
    expect(routeByRules('who founded Wikipedia')).toMatchObject({ choice: 'quick-search' });
  });

  it('keep a follow-up in the previous mode, and are unsure of one without a previous answer', () => {
    expect(routeByRules('and the second one?', { previous: 'deep-search' })).toMatchObject({
      choice: 'deep-search',
      reason: 'a follow-up to the previous answer',
    });
    expect(routeByRules('why?', { previous: 'reasoning' })).toMatchObject({ choice: 'reasoning' });
    expect(routeByRules('and the second one?')).toBeUndefined();
  });

  it('leave questions with no clear cue to the model', () => {
    expect(routeByRules('how do vaccines train the immune system')).toBeUndefined();
    expect(routeByRules('   ')).toBeUndefined();
  });

  it('get at least 90% of the labelled set right with the default (chat) where they are unsure', () => {
    expect(LABELLED_QUESTIONS.length).toBeGreaterThanOrEqual(100);
    for (const choice of ROUTE_CHOICES) {
      expect(
        LABELLED_QUESTIONS.filter((item) => item.expected === choice).length,
      ).toBeGreaterThanOrEqual(15);
    }
    const right = LABELLED_QUESTIONS.filter(
      (item) =>
        (routeByRules(item.question, {
          now: NOW,
          ...(item.previous ? { previous: item.previous } : {}),
        })?.choice ?? 'chat') === item.expected,
    );
    expect(right.length / LABELLED_QUESTIONS.length).toBeGreaterThanOrEqual(0.9);
  });
});
