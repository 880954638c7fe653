import { describe, expect, it } from 'vitest';
import { CANARY_URL, CANARY_WORD, injectionPage } from '../testing/injection-pages';
import { readableText } from './readable-text';

describe('readableText', () => {
  it('keeps the visible article and drops every kind of hidden text', () => {
    const { title, text } = readableText(injectionPage(), 'https://tides.example/article');
    expect(title).toBe('Tides explained');
    expect(text).toContain('gravitational pull of the moon');
    expect(text).toContain('Spring tides happen at new and full moon');
    expect(text).toContain('Neap tides');
    expect(text).not.toContain(CANARY_WORD);
    expect(text).not.toContain('canary-exfil');
    expect(text).not.toMatch(/ignore all previous/i);
    expect(text).not.toContain('fetch(');
  });

  it('keeps paragraphs on their own lines', () => {
    const { text } = readableText(
      '<html><body><p>First paragraph.</p><p>Second paragraph.</p><ul><li>One</li><li>Two</li></ul></body></html>',
    );
    expect(text.split('\n')).toEqual(['First paragraph.', 'Second paragraph.', '- One', '- Two']);
  });

  it('reads a link as its words, never its address', () => {
    const { text } = readableText(
      `<p>See <a href="${CANARY_URL}">the tide tables</a> for times.</p>`,
    );
    expect(text).toBe('See the tide tables for times.');
  });
});
