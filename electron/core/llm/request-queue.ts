/**
 * Runs requests one at a time in arrival order. A request whose signal aborts while it waits
 * leaves the line at once (and gives its turn to the next).
 */
export class RequestQueue {
  private tail: Promise<void> = Promise.resolve();

  /** Resolves to the release function when it is this caller's turn; rejects when `signal` aborts first. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.tail;
    this.tail = previous.then(() => turn);
    if (!signal) {
      await previous;
      return release;
    }
    try {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(abortError());
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        void previous.then(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    } catch (error) {
      release();
      throw error;
    }
    return release;
  }
}

export function abortError(): Error {
  const error = new Error('Cancelled.');
  error.name = 'AbortError';
  return error;
}
