import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Source } from '../../shared';
import { createSearchPipeline } from '../rag';
import { cleanAnswer } from './clean-answer';

const sources: Source[] = [
  {
    n: 1,
    title: 'Tides',
    url: 'https://example.org/tides',
    domain: 'example.org',
    snippet: 'The Moon pulls the oceans.',
    score: 0.9,
    provider: 'searxng',
  },
];

describe('cleanAnswer with the Search pipeline', () => {
  const search = createSearchPipeline({
    provider: 'searxng',
    searxngUrl: 'http://127.0.0.1:9',
    dataDir: mkdtempSync(join(tmpdir(), 'ponder-clean-')),
  });

  it('removes a planted link and a citation to a source that does not exist', () => {
    const cleaned = cleanAnswer(
      search,
      {
        solution: 'The Moon [1][7]. Details: [here](https://attacker.example/canary?d=secret)',
        text: '',
      },
      sources,
    );
    expect(cleaned?.solution).toContain('[1]');
    expect(cleaned?.solution).not.toContain('[7]');
    expect(cleaned?.solution).not.toContain('attacker.example');
  });

  it('leaves an answer alone when every link is a source', () => {
    const answer = { solution: 'See [1] and https://example.org/tides', text: '' };
    expect(cleanAnswer(search, answer, sources)).toBeUndefined();
  });

  it('does nothing without sources', () => {
    expect(cleanAnswer(search, { solution: 'https://x.example', text: '' }, [])).toBeUndefined();
  });
});
