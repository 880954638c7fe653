import { describe, expect, it } from 'vitest';
import { checkPlainData } from '.';

describe('checkPlainData', () => {
  it('accepts JSON-like data of every kind', () => {
    expect(
      checkPlainData({ a: [1, 'two', null, true, { b: Object.create(null) as object }] }).ok,
    ).toBe(true);
  });

  it.each([
    ['a typed array', new Uint8Array(8), 'invalid-input'],
    ['a Map', new Map(), 'invalid-input'],
    ['a Date', new Date(), 'invalid-input'],
    ['a BigInt', 10n, 'invalid-input'],
    ['NaN', Number.NaN, 'invalid-input'],
    ['a class instance', new (class Thing {})(), 'invalid-input'],
    ['a long text', 'x'.repeat(2_000_001), 'payload-too-large'],
    [
      'a wide object',
      Object.fromEntries(Array.from({ length: 100_001 }, (_, i) => [`k${i}`, i])),
      'payload-too-large',
    ],
    ['a long list', Array.from({ length: 100_001 }, () => 0), 'payload-too-large'],
  ])('refuses %s with %s', (_name, value, code) => {
    const result = checkPlainData({ nested: [value] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
  });

  it('refuses nesting deeper than the limit without recursing', () => {
    let deep: unknown = 'bottom';
    for (let level = 0; level < 100_000; level++) deep = [deep];
    const result = checkPlainData(deep);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error.message).toBe('The request is nested more than 64 levels deep.');
  });
});
