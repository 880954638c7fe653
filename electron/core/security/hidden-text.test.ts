import { describe, expect, it } from 'vitest';
import { readableText } from '../rag';
import { HIDDEN_CANARY, HIDDEN_TEXT_PAGES } from './corpus/hidden-text-pages';

/** Hiding tricks the page reader does not see through yet (see SECURITY.md, row 13). */
const KNOWN_LEAKS = new Set(['white on white', 'inert dialog']);
const pages = Object.entries(HIDDEN_TEXT_PAGES);

describe('instructions hidden in web pages never reach the model (SECURITY 13)', () => {
  it.each(pages.filter(([name]) => !KNOWN_LEAKS.has(name)))(
    'drops text hidden by %s and keeps the article',
    (_name, html) => {
      const { text } = readableText(html, 'https://tides.example/tables');
      expect(text).toContain('every twelve hours');
      expect(text).toContain('six hours after high tide');
      expect(text).not.toContain(HIDDEN_CANARY);
      expect(text).not.toMatch(/ignore previous instructions/i);
    },
  );

  // Known gaps: text the same colour as its background, and a <dialog> that is not open, are read
  // as visible. Fix in electron/core/rag/extract/strip-hidden.ts (drop `dialog:not([open])`;
  // compare color with background-color on the same element). Flip to `it.each` when fixed.
  it.fails.each(pages.filter(([name]) => KNOWN_LEAKS.has(name)))(
    'drops text hidden by %s',
    (_name, html) => {
      expect(readableText(html, 'https://tides.example/tables').text).not.toContain(HIDDEN_CANARY);
    },
  );
});
