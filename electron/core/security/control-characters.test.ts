import { describe, expect, it } from 'vitest';
import { escapeControlCharacters, hasControlCharacters } from '.';

describe('quoting untrusted text in one-line messages', () => {
  it('makes newlines and terminal escapes visible instead of acting on them', () => {
    const crafted = '\u001b[2J\nponder> rm -rf ~\r\u007f';
    const quoted = escapeControlCharacters(crafted);
    expect(quoted).toBe('\\u001b[2J\\nponder> rm -rf ~\\r\\u007f');
    expect(hasControlCharacters(crafted)).toBe(true);
    expect(hasControlCharacters(quoted)).toBe(false);
  });

  it('leaves ordinary text, accents and emoji as they are', () => {
    const text = 'qwen2.5-1.5b — Überprüfung ✓ 🚀';
    expect(escapeControlCharacters(text)).toBe(text);
    expect(hasControlCharacters(text)).toBe(false);
  });
});
