import { describe, expect, it } from 'vitest';
import { structuredPage } from '../extract/structured-page';
import { chunkPage } from './chunk-page';
import { estimateTokens } from './estimate-tokens';

const sentences = (n: number, topic: string) =>
  Array.from({ length: n }, (_, i) => `Sentence ${i + 1} about ${topic} ends here.`).join(' ');

describe('chunking a page by its structure', () => {
  const page = structuredPage(
    `<html><head><title>Manual</title></head><body><main><h2>Options</h2><p>${sentences(60, 'options')}</p><h2>Examples</h2><pre>${Array.from({ length: 80 }, (_, i) => `  step_${i} --flag=${i}`).join('\n')}</pre></main></body></html>`,
  );
  const passages = chunkPage(page, { maxTokens: 60, overlapTokens: 12 });

  it('keeps every passage within the token bound and inside one section', () => {
    expect(passages.length).toBeGreaterThan(6);
    for (const passage of passages) {
      expect(passage.tokens).toBeLessThanOrEqual(60);
      expect(['Manual › Options', 'Manual › Examples']).toContain(passage.section);
    }
  });

  it('never splits a sentence or a line of code', () => {
    for (const passage of passages.filter((p) => p.section.endsWith('Options'))) {
      expect(passage.text).toMatch(/^Sentence \d+ about options/);
      expect(passage.text).toMatch(/ends here\.$/);
    }
    for (const passage of passages.filter((p) => p.section.endsWith('Examples'))) {
      for (const line of passage.text.split('\n')) expect(line).toMatch(/^\s*step_\d+ --flag=\d+$/);
    }
  });

  it('points each passage back at its exact place in the page, and overlaps its neighbour', () => {
    for (const passage of passages) {
      expect(page.text.slice(passage.offset, passage.offset + passage.text.length)).toBe(
        passage.text,
      );
    }
    const options = passages.filter((p) => p.section.endsWith('Options'));
    const [first, second] = options;
    expect(first && second && second.offset < first.offset + first.text.length).toBe(true);
  });

  it('estimates word pieces as a BERT tokenizer splits them', () => {
    expect(estimateTokens('the cat sat')).toBe(3);
    expect(estimateTokens('os.makedirs(path)')).toBe(6);
    expect(estimateTokens('internationalization')).toBeGreaterThan(2);
  });
});

describe('a definition list (a manual page’s options)', () => {
  const options = [
    ['--follow', 'Continue listing the history of a file beyond renames.'],
    ['--no-decorate', 'Print no ref names of the commits shown.'],
    ['--source', 'Print out the ref name given on the command line.'],
  ];
  const page = structuredPage(
    `<html><head><title>git-log</title></head><body><main><h2>OPTIONS</h2><dl>${options
      .map(([term, text]) => `<dt>${term}</dt><dd><p>${text}</p></dd>`)
      .join('')}</dl></main></body></html>`,
  );

  it('gives each term its own passage, starting with the term, even when several would fit one', () => {
    const passages = chunkPage(page);
    expect(passages.map((p) => p.text)).toEqual(options.map(([term, text]) => `${term}\n${text}`));
    expect(new Set(passages.map((p) => p.section))).toEqual(new Set(['git-log › OPTIONS']));
  });
});
