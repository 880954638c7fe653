import { describe, expect, it } from 'vitest';
import { RequestQueue } from './request-queue';

describe('RequestQueue', () => {
  it('gives turns one at a time, in arrival order', async () => {
    const queue = new RequestQueue();
    const log: string[] = [];
    const work = async (name: string, ms: number) => {
      const release = await queue.acquire();
      log.push(`${name}:start`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      log.push(`${name}:end`);
      release();
    };
    await Promise.all([work('a', 20), work('b', 1), work('c', 1)]);
    expect(log).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
  });

  it('lets a waiting request leave when cancelled, and the line moves on', async () => {
    const queue = new RequestQueue();
    const first = await queue.acquire();
    const controller = new AbortController();
    const waiting = queue.acquire(controller.signal);
    const third = queue.acquire();
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    first();
    const release = await third;
    release();
    await expect(queue.acquire(AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
    (await queue.acquire())();
  });
});
