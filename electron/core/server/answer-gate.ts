import { PonderError } from '../errors';

export interface AnswerGate {
  /**
   * Waits for the model to be free and returns the function that frees it again. Throws
   * `engine-busy` when `maxWaiting` requests already wait, and `cancelled` when `signal` aborts first.
   */
  acquire(signal: AbortSignal): Promise<() => void>;
  readonly running: boolean;
  readonly waiting: number;
}

/**
 * One model answers one question at a time: later requests queue in arrival order (so a "stop" and
 * an immediate new question just wait for the old answer to wind down); a full queue answers 429.
 */
export function createAnswerGate(maxWaiting = 4): AnswerGate {
  let running = false;
  const queue: Array<() => void> = [];

  const release = (): void => {
    const next = queue.shift();
    if (next) next();
    else running = false;
  };
  const once = (): (() => void) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  };

  return {
    get running() {
      return running;
    },
    get waiting() {
      return queue.length;
    },
    async acquire(signal) {
      if (signal.aborted) throw new PonderError('cancelled', 'Cancelled.');
      if (!running) {
        running = true;
        return once();
      }
      if (queue.length >= maxWaiting) {
        throw new PonderError('engine-busy', 'Ponder is busy answering other questions.', {
          hint: 'Wait for an answer to finish (or stop it) and ask again.',
        });
      }
      return new Promise((resolve, reject) => {
        const turn = (): void => {
          signal.removeEventListener('abort', onAbort);
          resolve(once());
        };
        const onAbort = (): void => {
          const index = queue.indexOf(turn);
          if (index >= 0) queue.splice(index, 1);
          reject(new PonderError('cancelled', 'Cancelled.'));
        };
        queue.push(turn);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}
