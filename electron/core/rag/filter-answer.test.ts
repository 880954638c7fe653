import { describe, expect, it } from 'vitest';
import { filterAnswer } from './filter-answer';
import { CANARY_URL } from './testing/injection-pages';

const sources = [
  { n: 1, url: 'https://en.wikipedia.org/wiki/Tide' },
  { n: 2, url: 'https://oceanservice.noaa.gov/education/tutorial_tides/' },
];

describe('filterAnswer', () => {
  it('drops citations to sources that do not exist', () => {
    const out = filterAnswer(
      'Tides follow the moon [1][7]. Spring tides are larger [2, 9]. Odd claim [12].',
      sources,
    );
    expect(out.text).toBe('Tides follow the moon [1]. Spring tides are larger [2]. Odd claim.');
    expect(out.droppedCitations).toEqual([7, 9, 12]);
  });

  it('removes links and URLs that belong to no source, keeping the words of a link', () => {
    const answer = [
      `See [the tide tables](${CANARY_URL}) and <${CANARY_URL}>.`,
      `Plain ${CANARY_URL}, and www.attacker.example/x too.`,
      `![chart](${CANARY_URL}&img=1)`,
      `<a href="${CANARY_URL}">click</a>`,
      `[ref]: ${CANARY_URL}`,
      'Sources: [Wikipedia](https://en.wikipedia.org/wiki/Tide) https://oceanservice.noaa.gov/education/tutorial_tides/',
    ].join('\n');
    const out = filterAnswer(answer, sources);
    expect(out.text).not.toContain('attacker');
    expect(out.text).toContain('See the tide tables and.');
    expect(out.text).toContain('click');
    expect(out.text).toContain('[Wikipedia](https://en.wikipedia.org/wiki/Tide)');
    expect(out.text).toContain('https://oceanservice.noaa.gov/education/tutorial_tides/');
    expect(out.removedLinks.length).toBeGreaterThanOrEqual(6);
  });

  it('does not let a source URL with extra query text through', () => {
    const out = filterAnswer(
      'Read https://en.wikipedia.org/wiki/Tide?leak=SECRET now [1].',
      sources,
    );
    expect(out.text).not.toContain('SECRET');
    expect(out.text).toContain('[1]');
  });
});
