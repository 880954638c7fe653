import { describe, expect, it } from 'vitest';
// What `ponder eval` wrote for the fixture models (bench/results/eval-fixtures), as the file's text.
import fixtureReport from '../../../bench/results/eval-fixtures/eval.json?raw';
import { parseEvalReport, qualityBars } from './eval-report';

describe('evaluation report in the app', () => {
  it('reads the eval.json ponder eval wrote for the fixture models', () => {
    const parsed = parseEvalReport(fixtureReport);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.report.modes.map((row) => `${row.mode}/${row.adapter}`)).toEqual([
      'base/base',
      'chat/sft',
      'reasoning/grpo',
    ]);
    const reasoning = parsed.report.modes[2]!;
    expect(qualityBars(reasoning)[0]).toEqual({ label: 'Format exact %', value: 100 });
    expect(qualityBars(reasoning)[3]).toEqual({ label: 'Similarity ×100', value: null });
  });

  it('says in one line why another file is not a report', () => {
    expect(parseEvalReport('{"conversations": []}', 'chats.json')).toEqual({
      ok: false,
      message: 'chats.json is not an evaluation report from `ponder eval` (no "modes" list).',
    });
    expect(parseEvalReport('not json', 'x.json')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/\(not JSON\)\.$/),
    });
    expect(parseEvalReport('{"modes": [{"mode": "chat", "adapter": "sft"}]}')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/mode "chat" is missing a number/),
    });
  });
});
