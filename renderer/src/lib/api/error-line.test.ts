import { describe, expect, it } from 'vitest';
import { errorLine } from './error-line';

describe('errorLine', () => {
  it('ends the message before the hint', () => {
    expect(
      errorLine({ code: 'adapter-mismatch', message: 'It does not fit', hint: 'Use another.' }),
    ).toBe('It does not fit. Use another.');
  });
  it('keeps the message’s own ending, and a message without a hint as it is', () => {
    expect(errorLine({ code: 'invalid-input', message: 'Which one?', hint: 'Choose.' })).toBe(
      'Which one? Choose.',
    );
    expect(errorLine({ code: 'invalid-input', message: 'Refused.' })).toBe('Refused.');
  });
});
