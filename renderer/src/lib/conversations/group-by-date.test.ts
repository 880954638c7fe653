import { describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../../../../electron/shared';
import { groupByDate, sharedTitles } from './group-by-date';

const now = new Date(2026, 11, 2, 15, 0).getTime();
const at = (day: number, hour = 12, month = 11, year = 2026): number =>
  new Date(year, month, day, hour).getTime();
const conversation = (id: string, updated: number, extra: Partial<ConversationSummary> = {}) => ({
  id,
  title: id,
  created: updated,
  updated,
  pinned: false,
  ...extra,
});

describe('groupByDate', () => {
  it('puts pinned first, then Today, Yesterday, the last 7 and 30 days and older months', () => {
    const groups = groupByDate(
      [
        conversation('pinned-old', at(3, 12, 0), { pinned: true }),
        conversation('this-morning', at(2, 1)),
        conversation('last-night', at(1, 23)),
        conversation('monday', at(27, 12, 10)),
        conversation('mid-november', at(10, 12, 10)),
        conversation('august', at(5, 12, 7)),
        conversation('last-year', at(5, 12, 7, 2025)),
      ],
      now,
    );
    expect(groups.map((g) => [g.label, g.conversations.map((c) => c.id)])).toEqual([
      ['Pinned', ['pinned-old']],
      ['Today', ['this-morning']],
      ['Yesterday', ['last-night']],
      ['Previous 7 days', ['monday']],
      ['Previous 30 days', ['mid-november']],
      [new Date(2026, 7, 5).toLocaleDateString(undefined, { month: 'long' }), ['august']],
      [
        new Date(2025, 7, 5).toLocaleDateString(undefined, { month: 'long', year: 'numeric' }),
        ['last-year'],
      ],
    ]);
  });

  it('marks conversations that share a title, and only those', () => {
    const list = [
      { ...conversation('a', at(2)), title: 'Tides' },
      { ...conversation('b', at(1)), title: 'Tides' },
      { ...conversation('c', at(1)), title: 'Moons' },
    ];
    expect([...sharedTitles(list)].sort()).toEqual(['a', 'b']);
  });
});
