import { describe, expect, it } from 'vitest';
import { IPC_ARGUMENTS, IPC_SEND_ARGUMENTS } from '../../electron/main/ipc/ipc-schemas';
import { validateArgs } from '../../electron/main/ipc/validate-args';
import { checkPlainData } from '../../electron/core/security';

/**
 * Hostile argument lists for every IPC channel, as a compromised renderer could send them through
 * the preload (SECURITY 4). Values are what Electron's structured clone can carry: no functions,
 * but Maps, Dates, typed arrays, BigInts, sparse arrays, prototype keys and megabytes of text.
 */
const channels = { ...IPC_ARGUMENTS, ...IPC_SEND_ARGUMENTS };

function* hostileValues(): Generator<unknown> {
  yield undefined;
  yield null;
  yield NaN;
  yield -0;
  yield Infinity;
  yield 10n ** 40n;
  yield '';
  yield 'x'.repeat(5 * 1024 * 1024);
  yield '\u0000\ud800';
  yield new Date(Number.NaN);
  yield /(a+)+$/;
  yield new Map([['mode', 'chat']]);
  yield new Set(['chat']);
  yield new Uint8Array(1024);
  yield Object.assign(new Array<string>(3), { 2: 'sparse' });
  yield JSON.parse(
    '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}',
  );
  yield { mode: 'chat', text: 'hi', regenerate: 'yes' };
  yield { mode: 'chat', text: 'x'.repeat(40_000) };
  yield { mode: 'chat', text: 'hi', conversationId: '../../etc/passwd' };
  yield Array.from({ length: 100_000 }, () => 'a');
  let deep: unknown = 'bottom';
  for (let level = 0; level < 10_000; level++) deep = [deep];
  yield deep;
}

function* hostileArgumentLists(): Generator<unknown[]> {
  yield [];
  for (const value of hostileValues()) {
    yield [value];
    yield [value, value];
    yield ['request-1', value];
    yield ['request-1', value, 'extra'];
  }
  yield Array.from({ length: 10_000 }, () => 'arg');
}

describe('IPC argument validation against hostile payloads (SECURITY 4)', () => {
  it.each(Object.keys(channels))(
    '%s refuses every hostile argument list with one clear line',
    (name) => {
      const schema = channels[name as keyof typeof channels];
      let refused = 0;
      for (const args of hostileArgumentLists()) {
        const result = validateArgs(schema, args, name);
        if (result.ok) continue;
        refused += 1;
        expect(result.error.code).toBe('invalid-input');
        expect(result.error.message).toMatch(
          new RegExp(`^Ponder refused a malformed ${name} request`),
        );
        expect(result.error.message).not.toContain('\n');
      }
      expect(refused).toBeGreaterThan(50);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  // zod lists every unrecognised key of a strict object, so a typed array sent where an object
  // belongs used to be described index by index (a 4 MB Uint8Array: ~18 s, a 43 MB message).
  it('refuses a typed array in place of an object with a short message', () => {
    const result = validateArgs(
      IPC_ARGUMENTS.updateSettings,
      [new Uint8Array(10_000)],
      'updateSettings',
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message.length).toBeLessThan(500);
  });

  it('has a pre-check that refuses such payloads at once and passes every well-formed call', () => {
    for (const hostile of [[new Uint8Array(4_000_000)], [new Map()], ['id', { a: new Date() }]]) {
      const checked = checkPlainData(hostile);
      expect(checked.ok).toBe(false);
      if (!checked.ok) expect(checked.error.message.length).toBeLessThan(200);
    }
    for (const valid of [
      ['req-1', { mode: 'chat', text: 'What is 2+2?', conversationId: 'new' }],
      ['abc', { title: 'A title', pinned: true }],
      [{ topK: 5, threads: null, gpuLayers: 'auto' }],
      ['https://example.org/'],
      [],
    ]) {
      expect(checkPlainData(valid).ok, JSON.stringify(valid)).toBe(true);
    }
  });

  it('accepts a well-formed question and nothing that only resembles one', () => {
    expect(
      validateArgs(IPC_ARGUMENTS.ask, ['req-1', { mode: 'chat', text: 'What is 2+2?' }], 'ask').ok,
    ).toBe(true);
    for (const input of [
      { mode: 'chat', text: 'hi', extra: 1 },
      { mode: 'CHAT', text: 'hi' },
      { mode: 'chat', text: '   ' },
      { mode: 'chat', text: 'hi', conversationId: 'a/b' },
    ]) {
      expect(
        validateArgs(IPC_ARGUMENTS.ask, ['req-1', input], 'ask').ok,
        JSON.stringify(input),
      ).toBe(false);
    }
  });
});
