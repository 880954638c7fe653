import { describe, expect, it } from 'vitest';
import { markdownBlocks } from './markdown-blocks';
import { structuredDocument } from './structured-page';

describe('Markdown documents', () => {
  it('read headings, paragraphs, lists, tables and code as a reader sees them', () => {
    const blocks = markdownBlocks(
      [
        'Setup',
        '=====',
        '',
        'Install the **server** from',
        'the [package archive](https://example.org/archive).',
        '',
        '- first item',
        '  continued here',
        '1. numbered item',
        '',
        '| Option | Default |',
        '| ------ | ------- |',
        '| port   | 8080    |',
        '',
        '    indented code',
        '      deeper',
        '',
        '> quoted text',
      ].join('\n'),
    );
    expect(blocks).toEqual([
      { kind: 'heading', text: 'Setup', level: 1 },
      { kind: 'text', text: 'Install the server from the package archive.' },
      { kind: 'item', text: 'first item continued here' },
      { kind: 'item', text: 'numbered item' },
      { kind: 'row', text: 'Option | Default' },
      { kind: 'row', text: 'port | 8080' },
      { kind: 'code', text: 'indented code\n  deeper' },
      { kind: 'text', text: 'quoted text' },
    ]);
  });

  it('keep a fenced block verbatim, even when it holds lines that look like headings', () => {
    const page = structuredDocument(
      '# Tool\n\n## Usage\n\n```\n# not a heading\nrun --fast\n```\n\nAfter the code.',
      'text/markdown',
    );
    expect(page.title).toBe('Tool');
    const code = page.blocks.find((block) => block.kind === 'code');
    expect(code?.text).toBe('# not a heading\nrun --fast');
    expect(code?.section).toBe('Tool › Usage');
    expect(page.blocks.at(-1)?.section).toBe('Tool › Usage');
  });
});
