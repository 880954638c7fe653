import { describe, expect, it } from 'vitest';
import { adviceFor } from './error-advice';

describe('adviceFor', () => {
  it('offers the model manager and settings for a missing model, in plain words', () => {
    const advice = adviceFor(
      { code: 'model-missing', message: 'No model is configured.', hint: 'Run `ponder models`.' },
      true,
    );
    expect(advice.actions).toEqual(['open-models', 'open-settings', 'retry']);
    expect(advice.hint).not.toMatch(/`|ponder /);
  });

  it('offers Retry only where something can be asked again', () => {
    const error = { code: 'model-crashed', message: 'The model stopped.' } as const;
    expect(adviceFor(error, true).actions).toEqual(['retry']);
    expect(adviceFor(error, false).actions).toEqual([]);
  });

  it('never shows raw backticks from a hint it has no words of its own for', () => {
    const advice = adviceFor(
      {
        code: 'not-found',
        message: 'No such conversation.',
        hint: 'List them with `ponder history list`.',
      },
      false,
    );
    expect(advice.hint).toBe('List them with “ponder history list”.');
  });
});
