import { describe, expect, it } from 'vitest';
import type { Source } from '../../shared';
import { formatSources } from './print-sources';

const source = (passages: Source['passages']): Source => ({
  n: 2,
  title: 'Tide \u001b]0;owned\u0007tables',
  url: 'https://example.org/tides',
  domain: 'example.org',
  snippet: 'Tide tables.',
  score: 0.5,
  provider: 'searxng',
  passages,
});

describe('printing sources in a terminal', () => {
  it('lists each source, and with passages their section, place and text', () => {
    const text = formatSources(
      [
        source([
          { text: 'High tide at 6:02.\nLow tide at 12:15.', section: 'Tides › Today', offset: 812 },
        ]),
      ],
      { passages: true },
    );
    expect(text).toContain('[2] Tide \\x1b]0;owned\\x07tables — https://example.org/tides');
    expect(text).toContain('      § Tides › Today · character 812');
    expect(text).toContain('      High tide at 6:02.\n      Low tide at 12:15.');
  });

  it('says when a passage is only the search snippet of a page that was not read', () => {
    const text = formatSources([source([{ text: 'Tide tables.', section: '', offset: -1 }])], {
      passages: true,
    });
    expect(text).toContain('§ search snippet (the page was not read)');
  });

  it('prints no passages unless asked', () => {
    const text = formatSources([source([{ text: 'Secret passage', section: 'S', offset: 0 }])], {
      passages: false,
    });
    expect(text).not.toContain('Secret passage');
  });
});
