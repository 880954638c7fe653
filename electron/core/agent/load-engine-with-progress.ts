import type { AnswerEvent } from '../../shared';
import type { Engine } from '../llm/engine-types';
import type { EngineLoader } from './ports';

/**
 * Loads the engine and yields a `model-loading` event for each step of progress while it loads, so
 * the first question shows "Loading model… 40%" instead of a long silence. An engine that is
 * already loaded returns at once with no events. A failed load throws, as the loader does.
 */
export async function* loadEngineWithProgress(
  load: EngineLoader,
): AsyncGenerator<AnswerEvent, Engine> {
  const reported: number[] = [];
  let settled = false;
  let wake: (() => void) | undefined;
  const loading = load((progress) => {
    reported.push(progress);
    wake?.();
  });
  const settle = (): void => {
    settled = true;
    wake?.();
  };
  // Handled here so a failed load is not an unhandled rejection; `await loading` rethrows it.
  void loading.then(settle, settle);
  for (;;) {
    const progress = reported.shift();
    if (progress !== undefined) {
      yield { type: 'model-loading', progress };
      continue;
    }
    if (settled) return await loading;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  }
}
