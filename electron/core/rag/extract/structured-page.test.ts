import { describe, expect, it } from 'vitest';
import { structuredPage } from './structured-page';

const doc = (body: string, head = '<title>Guide</title>') =>
  `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;

describe('structured page extraction', () => {
  it('gives every block the path of headings above it, page title first', () => {
    const page = structuredPage(
      doc(
        '<main><h1>Guide</h1><p>Intro.</p><h2>Install¶</h2><p>Run it.</p><h3>On Linux</h3><p>Use apt.</p><h2>Use</h2><p>Ask.</p></main>',
      ),
    );
    const sectionOf = (text: string) => page.blocks.find((b) => b.text === text)?.section;
    expect(sectionOf('Intro.')).toBe('Guide');
    expect(sectionOf('Run it.')).toBe('Guide › Install');
    expect(sectionOf('Use apt.')).toBe('Guide › Install › On Linux');
    expect(sectionOf('Ask.')).toBe('Guide › Use');
  });

  it('joins soft line breaks inside a paragraph but keeps code verbatim with its indentation', () => {
    const page = structuredPage(
      doc(
        '<article><p>A sentence broken\n   over several\n   source lines.</p><pre>def f():\n    return 1\n\n    # done</pre></article>',
      ),
    );
    expect(page.text).toContain('A sentence broken over several source lines.');
    expect(page.text).toContain('def f():\n    return 1\n\n    # done');
  });

  it('reads data tables as rows and lists as items', () => {
    const page = structuredPage(
      doc(
        '<main><table><tr><th>Name</th><th>Size</th></tr><tr><td>a.txt</td><td>4 KB</td></tr></table><ul><li>First</li><li>Second</li></ul></main>',
      ),
    );
    expect(page.text.split('\n')).toEqual(['Name | Size', 'a.txt | 4 KB', '- First', '- Second']);
  });

  it('never loses inline text to a class name', () => {
    const page = structuredPage(
      doc(
        '<div class="body"><p>Use it without decoding the <em class="mailheader">Content-Transfer-Encoding</em> header. However, <span class="sidebar-note">this</span> stays.</p></div>',
      ),
    );
    expect(page.text).toContain('without decoding the Content-Transfer-Encoding header.');
    expect(page.text).toContain('However, this stays.');
  });

  it('skips a footer, menus and navigation bars even when a style sheet it cannot see hides them', () => {
    const menu = Array.from(
      { length: 12 },
      (_, i) => `<li><a href="/p${i}">Page ${i}</a></li>`,
    ).join('');
    const page = structuredPage(
      doc(
        `<div class="navheader"><a href="/">Home</a> <a href="/prev">Prev</a> <a href="/next">Next</a></div><ul class="dropdown">${menu}</ul><div class="document"><h1>zip</h1><p>zip() stops at the shortest input unless strict=True is given, which raises ValueError.</p></div><div class="footer">© Copyright 2001. Created using Sphinx.</div>`,
      ),
    );
    expect(page.text).toContain('zip() stops at the shortest input');
    expect(page.text).not.toMatch(/Page 3|Prev|Copyright|Sphinx/);
  });

  it('falls back to the largest block of text when the semantic container is only a sliver', () => {
    const long = 'The reference text explains every option in detail. '.repeat(40);
    const page = structuredPage(
      doc(
        `<article><p>Short teaser.</p></article><div id="wrap"><div><p>${long}</p><p>${long}</p></div></div>`,
      ),
    );
    expect(page.text).toContain('The reference text explains every option');
  });

  it("keeps a chapter page's introduction when its table of contents has more (link) text", () => {
    // As DocBook writes a chapter page: a title, a long table of contents, then a short introduction.
    const toc = Array.from(
      { length: 30 },
      (_, i) =>
        `<dt><span class="sect1"><a href="s${i}.html">28.${i}. Section about statistics view ${i}</a></span></dt>`,
    ).join('');
    const page = structuredPage(
      doc(
        `<div class="chapter"><div class="titlepage"><h2 class="title">Chapter 28. Monitoring Database Activity</h2></div><div class="contents"><dl>${toc}</dl></div><p>A database administrator frequently wonders what the system is doing right now. This chapter discusses how to find that out.</p></div>`,
      ),
    );
    expect(page.text).toContain('This chapter discusses how to find that out.');
    expect(page.text).not.toContain('Section about statistics view');
  });

  it('drops the permalink glyphs a documentation generator puts after terms and captions', () => {
    // As Sphinx writes a configuration value and a code block's caption.
    const page = structuredPage(
      doc(
        '<div class="body"><dl><dt id="confval-nitpicky"><code>nitpicky</code><a class="headerlink" href="#confval-nitpicky" title="Permalink to this definition">¶</a></dt><dd><p>If true, Sphinx warns about all references where the target cannot be found. See <a href="#numfig">numfig</a>.</p></dd></dl><div class="code-block-caption"><span>conf.py</span><a class="headerlink" href="#id1">¶</a></div><pre>nitpicky = True</pre></div>',
      ),
    );
    expect(page.blocks.map((b) => b.text)).toEqual(
      expect.arrayContaining([
        'nitpicky',
        'If true, Sphinx warns about all references where the target cannot be found. See numfig.',
        'conf.py',
      ]),
    );
    expect(page.text).not.toContain('¶');
  });

  it('keeps the paragraphs after a note box in the section around it', () => {
    // As DocBook writes a note: its title is a heading, but it does not start a section.
    const page = structuredPage(
      doc(
        '<div class="refsect1"><h2>Usage</h2><p>Connect with psql.</p><div class="note"><h3 class="title">Note</h3><p>The password is asked once.</p></div><p>Type \\q to quit.</p></div>',
        '<title>psql</title>',
      ),
    );
    const sectionOf = (text: string) => page.blocks.find((b) => b.text === text)?.section;
    expect(sectionOf('The password is asked once.')).toBe('psql › Usage');
    expect(sectionOf('Type \\q to quit.')).toBe('psql › Usage');
    expect(page.text).toContain('Note\nThe password is asked once.');
  });
});
