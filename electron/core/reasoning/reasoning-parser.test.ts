import { describe, expect, it } from 'vitest';
import { ReasoningParser, parseReasoning } from './reasoning-parser';
import type { ReasoningParserOptions, ReasoningSegment } from './reasoning-parser';

/** Feeds the chunks and returns the events with neighbours of one kind joined. */
function run(chunks: string[], options?: ReasoningParserOptions): ReasoningSegment[] {
  const parser = new ReasoningParser(options);
  const events = [...chunks.flatMap((chunk) => parser.push(chunk)), ...parser.end()];
  const joined: ReasoningSegment[] = [];
  for (const event of events) {
    expect(event.text).not.toBe('');
    const last = joined[joined.length - 1];
    if (last && last.type === event.type) last.text += event.text;
    else joined.push({ ...event });
  }
  return joined;
}

/** Deterministic pseudo-random numbers (mulberry32) so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomChunks(text: string, next: () => number): string[] {
  const chunks: string[] = [];
  for (let at = 0; at < text.length;) {
    const size = 1 + Math.floor(next() * 8);
    chunks.push(text.slice(at, at + size));
    at += size;
  }
  return chunks;
}

const WELL_FORMED = '<start_working_out>2 and 2 make 4.<end_working_out><SOLUTION>4</SOLUTION>';

describe('ReasoningParser', () => {
  it('splits a well-formed reply into reasoning and solution', () => {
    expect(run([WELL_FORMED])).toEqual([
      { type: 'reasoning', text: '2 and 2 make 4.' },
      { type: 'solution', text: '4' },
    ]);
  });

  it('streams text as it comes, holding back only what could still be a tag', () => {
    const parser = new ReasoningParser();
    expect(parser.push('<start_working_out>Think')).toEqual([{ type: 'reasoning', text: 'Think' }]);
    expect(parser.push('ing <end_wor')).toEqual([{ type: 'reasoning', text: 'ing' }]);
    expect(parser.push('king_out><SOL')).toEqual([]);
    expect(parser.push('UTION>4')).toEqual([{ type: 'solution', text: '4' }]);
    expect(parser.end()).toEqual([]);
  });

  it('finds tags split at every possible position', () => {
    for (let cut = 1; cut < WELL_FORMED.length; cut++) {
      expect(run([WELL_FORMED.slice(0, cut), WELL_FORMED.slice(cut)])).toEqual(run([WELL_FORMED]));
    }
  });

  it('flushes a section whose closing tag never comes', () => {
    expect(run(['<start_working_out>still thinking'])).toEqual([
      { type: 'reasoning', text: 'still thinking' },
    ]);
    expect(run(['<start_working_out>a<end_working_out><SOLUTION>42'])).toEqual([
      { type: 'reasoning', text: 'a' },
      { type: 'solution', text: '42' },
    ]);
  });

  it('keeps a dangling tag prefix at the end as literal text', () => {
    expect(run(['<SOLUTION>x is <SOL'])).toEqual([{ type: 'solution', text: 'x is <SOL' }]);
  });

  it('gives text before the first tag and after the last one as text', () => {
    expect(run([`Sure. ${WELL_FORMED} Hope that helps.`])).toEqual([
      { type: 'text', text: 'Sure.' },
      { type: 'reasoning', text: '2 and 2 make 4.' },
      { type: 'solution', text: '4' },
      { type: 'text', text: '\n\nHope that helps.' },
    ]);
  });

  it('gives a reply without tags as one text event, inner whitespace kept', () => {
    expect(run(['  Hello there.\n\nHow can I help?\n'])).toEqual([
      { type: 'text', text: 'Hello there.\n\nHow can I help?' },
    ]);
  });

  it('drops whitespace that only pads the tags', () => {
    const padded =
      '\n<start_working_out>\n  step one\n  step two\n<end_working_out>\n\n<SOLUTION> 4 </SOLUTION>\n';
    expect(run([padded])).toEqual([
      { type: 'reasoning', text: 'step one\n  step two' },
      { type: 'solution', text: '4' },
    ]);
  });

  it('separates repeated sections of one kind with a blank line', () => {
    const twice =
      '<start_working_out>first<end_working_out><start_working_out>second<end_working_out>' +
      '<SOLUTION>a</SOLUTION><SOLUTION>b</SOLUTION>';
    expect(run([twice])).toEqual([
      { type: 'reasoning', text: 'first\n\nsecond' },
      { type: 'solution', text: 'a\n\nb' },
    ]);
  });

  it('lets an opening tag close the section it interrupts', () => {
    expect(run(['<start_working_out>think<SOLUTION>4</SOLUTION>'])).toEqual([
      { type: 'reasoning', text: 'think' },
      { type: 'solution', text: '4' },
    ]);
  });

  it('drops a closing tag that closes nothing, and a repeated opening tag', () => {
    expect(run(['hi</SOLUTION> there<end_working_out>'])).toEqual([
      { type: 'text', text: 'hi there' },
    ]);
    expect(run(['<SOLUTION>a<SOLUTION>b</SOLUTION>'])).toEqual([{ type: 'solution', text: 'ab' }]);
  });

  it('treats a < that starts no tag as text', () => {
    expect(run(['<start_working_out>1 < 2 and <b> is bold<end_working_out>'])).toEqual([
      { type: 'reasoning', text: '1 < 2 and <b> is bold' },
    ]);
  });

  it('matches tags exactly, as the training rewards did', () => {
    expect(run(['<solution>4</solution>'])).toEqual([
      { type: 'text', text: '<solution>4</solution>' },
    ]);
  });

  it('can start inside the working out when the prompt opened it', () => {
    expect(
      run(['thinking<end_working_out><SOLUTION>4</SOLUTION>'], { initialSection: 'reasoning' }),
    ).toEqual([
      { type: 'reasoning', text: 'thinking' },
      { type: 'solution', text: '4' },
    ]);
  });

  it('gives identical output for any chunking of the same reply', () => {
    const replies = [
      WELL_FORMED,
      `Sure. ${WELL_FORMED} Hope that helps.`,
      '\n<start_working_out>\n a < b, <SOL is not a tag\n<end_working_out>\n<SOLUTION>\n b \n</SOLUTION>\n',
      '<start_working_out>one<end_working_out>mid<start_working_out>two<SOLUTION>x</SOLUTION></SOLUTION>',
      'no tags at all, just   spaced   words \n',
      '<SOLUTION>unterminated <end_working',
      '<<<SOLUTION>>>  <</SOLUTION>',
    ];
    const next = random(42);
    for (const reply of replies) {
      const whole = run([reply]);
      expect(run([...reply])).toEqual(whole);
      for (let trial = 0; trial < 200; trial++)
        expect(run(randomChunks(reply, next))).toEqual(whole);
    }
  });

  it('parses a whole reply at once', () => {
    expect(parseReasoning(`Sure. ${WELL_FORMED}`)).toEqual({
      reasoning: '2 and 2 make 4.',
      solution: '4',
      text: 'Sure.',
    });
  });
});
