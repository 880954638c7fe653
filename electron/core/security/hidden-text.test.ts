import { describe, expect, it } from 'vitest';
import { readableText } from '../rag';
import { HIDDEN_CANARY, HIDDEN_TEXT_PAGES } from './corpus/hidden-text-pages';

const pages = Object.entries(HIDDEN_TEXT_PAGES);

describe('instructions hidden in web pages never reach the model (SECURITY 13)', () => {
  it.each(pages)('drops text hidden by %s and keeps the article', (_name, html) => {
    const { text } = readableText(html, 'https://tides.example/tables');
    expect(text).toContain('every twelve hours');
    expect(text).toContain('six hours after high tide');
    expect(text).not.toContain(HIDDEN_CANARY);
    expect(text).not.toMatch(/ignore previous instructions/i);
  });

  it('drops text coloured like its inline background, and keeps other colours', () => {
    const html = (style: string) =>
      `<html><body><div style="background:#FFF url(x.png)"><article><p>Tides rise every twelve hours.</p><p style="${style}">${HIDDEN_CANARY}</p></article></div></body></html>`;
    expect(readableText(html('color: white'), 'https://tides.example/').text).not.toContain(
      HIDDEN_CANARY,
    );
    expect(
      readableText(html('color: rgb(255, 255, 255)'), 'https://tides.example/').text,
    ).not.toContain(HIDDEN_CANARY);
    expect(readableText(html('color:#333'), 'https://tides.example/').text).toContain(
      HIDDEN_CANARY,
    );
  });
});
