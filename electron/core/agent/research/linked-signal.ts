/**
 * One signal that aborts when any of the given ones does. Listeners are removed by `dispose`
 * instead of using AbortSignal.any, whose dependents can stay tied to a long-lived source.
 */
export function linkedSignal(...sources: (AbortSignal | undefined)[]): {
  signal: AbortSignal;
  dispose: () => void;
} {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  const live = sources.filter((source): source is AbortSignal => source !== undefined);
  for (const source of live) {
    if (source.aborted) controller.abort();
    else source.addEventListener('abort', abort, { once: true });
  }
  return {
    signal: controller.signal,
    dispose: () => {
      for (const source of live) source.removeEventListener('abort', abort);
    },
  };
}
