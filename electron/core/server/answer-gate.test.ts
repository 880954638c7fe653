import { describe, expect, it } from 'vitest';
import { createAnswerGate } from './answer-gate';

describe('createAnswerGate', () => {
  it('lets one answer run and queues the next in order', async () => {
    const gate = createAnswerGate(2);
    const never = new AbortController().signal;
    const order: string[] = [];
    const releaseA = await gate.acquire(never);
    const b = gate.acquire(never).then((release) => {
      order.push('b');
      return release;
    });
    const c = gate.acquire(never).then((release) => {
      order.push('c');
      return release;
    });
    expect(gate.waiting).toBe(2);
    await expect(gate.acquire(never)).rejects.toMatchObject({ code: 'engine-busy' });
    releaseA();
    releaseA(); // a second release must not free a second slot
    (await b)();
    (await c)();
    expect(order).toEqual(['b', 'c']);
    expect(gate.running).toBe(false);
  });

  it('drops a waiting request whose client left', async () => {
    const gate = createAnswerGate(4);
    const release = await gate.acquire(new AbortController().signal);
    const leaving = new AbortController();
    const waiting = gate.acquire(leaving.signal);
    leaving.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'cancelled' });
    expect(gate.waiting).toBe(0);
    release();
    expect(gate.running).toBe(false);
  });
});
