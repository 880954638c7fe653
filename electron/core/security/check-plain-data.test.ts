import { describe, expect, it } from 'vitest';
import { checkPlainData } from '.';

describe('checkPlainData', () => {
  it('accepts JSON-like data of every kind', () => {
    expect(
      checkPlainData({ a: [1, 'two', null, true, { b: Object.create(null) as object }] }).ok,
    ).toBe(true);
  });

  it.each([
    ['a typed array', 'invalid-input', new Uint8Array(8)],
    ['a Map', 'invalid-input', new Map()],
    ['a Date', 'invalid-input', new Date()],
    ['a BigInt', 'invalid-input', 10n],
    ['NaN', 'invalid-input', Number.NaN],
    ['a class instance', 'invalid-input', new (class Thing {})()],
    ['a long text', 'payload-too-large', 'x'.repeat(2_000_001)],
    [
      'a wide object',
      'payload-too-large',
      Object.fromEntries(Array.from({ length: 100_001 }, (_, i) => [`k${i}`, i])),
    ],
    ['a long list', 'payload-too-large', Array.from({ length: 100_001 }, () => 0)],
    // The value goes last: a test title shows only the name and the expected code.
  ])('refuses %s with %s', (_name, code, value) => {
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
