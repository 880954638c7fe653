import { isElement, TEXT_NODE, type DomElement, type DomNode } from './dom-types';

export type BlockKind = 'heading' | 'text' | 'item' | 'row' | 'code' | 'term';

/**
 * One unit of a page's structure: a heading, a paragraph, a list item, a table row, a code block,
 * or the term a definition list defines (`<dt>`; its description follows as paragraphs).
 */
export interface PageBlock {
  kind: BlockKind;
  text: string;
  /** 1–6 for headings. */
  level?: number;
}

/** Elements that end a line of text: their content is a block of its own. */
const BLOCK_TAGS = new Set(
  'ADDRESS ARTICLE ASIDE BLOCKQUOTE CAPTION CENTER DD DETAILS DIALOG DIV DL DT FIELDSET FIGCAPTION FIGURE FOOTER FORM HEADER HGROUP HR LEGEND MAIN NAV OL P SECTION SUMMARY UL'.split(
    ' ',
  ),
);
const HEADING = /^H([1-6])$/;
/** Marks a hard line break (`<br>`) through whitespace collapsing. */
const HARD_BREAK = '\u2028';
/** Permalink glyphs that documentation generators append to headings. */
const PERMALINK = /[\s¶#🔗§]+$/u;
const PERMALINK_ONLY = /^[\s¶#🔗§]+$/u;

const collapse = (text: string) =>
  text
    .replace(/[ \t\n\r\f\v\u00a0]+/g, ' ')
    .split(HARD_BREAK)
    .map((line) => line.trim())
    .filter(Boolean)
    .join('\n');

/** Code keeps its lines and indentation; only trailing spaces and blank edges go. */
function codeText(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').split('\n');
  const trimmed = lines.map((line) => line.replace(/\s+$/, ''));
  while (trimmed.length && !trimmed[0]) trimmed.shift();
  while (trimmed.length && !trimmed[trimmed.length - 1]) trimmed.pop();
  return trimmed.join('\n');
}

const tagOf = (element: DomElement) => element.tagName.toUpperCase();

/**
 * A link to the element it sits in ("¶" after a Sphinx option, "#" after a heading): a glyph for
 * copying the address, which would otherwise end up glued to the term ("nitpicky¶").
 */
function isPermalink(link: DomElement): boolean {
  return (
    (link.getAttribute('href') ?? '').startsWith('#') && PERMALINK_ONLY.test(link.textContent ?? '')
  );
}

/** Class names of the boxes documentation sets aside: notes, tips, warnings. */
const ADMONITION = /\b(admonition|note|tip|hint|warning|caution|important|danger|attention)\b/i;

/**
 * A heading that titles a box ("Note" in DocBook's `<div class="note"><h3>Note</h3>`) rather than
 * a section: the paragraphs after the box still belong to the section around it.
 */
function titlesABox(heading: DomElement): boolean {
  const parent = heading.parentNode;
  if (!parent || !isElement(parent)) return false;
  return tagOf(parent) === 'ASIDE' || ADMONITION.test(parent.getAttribute('class') ?? '');
}

/** A table that lays out the page (cells hold paragraphs or code) rather than data rows. */
function isLayoutTable(table: DomElement): boolean {
  return table.querySelector('p,pre,table,ul,ol,h1,h2,h3,h4,h5,h6,dl,blockquote') !== null;
}

/** Collects a subtree's blocks in reading order. */
class BlockCollector {
  readonly blocks: PageBlock[] = [];
  private inline: string[] = [];
  /** What the first text flushed inside a list item or a defined term becomes. */
  private pending: 'item' | 'term' | undefined;

  flush(): void {
    const text = collapse(this.inline.join(''));
    this.inline = [];
    if (!text) return;
    if (this.pending === 'item') {
      this.blocks.push({ kind: 'item', text: `- ${text}` });
    } else if (this.pending === 'term') {
      this.blocks.push({ kind: 'term', text });
    } else {
      this.blocks.push({ kind: 'text', text });
    }
    this.pending = undefined;
  }

  walk(node: DomNode): void {
    if (node.nodeType === TEXT_NODE) {
      this.inline.push(node.textContent ?? '');
      return;
    }
    if (!isElement(node)) {
      for (const child of Array.from(node.childNodes)) this.walk(child);
      return;
    }
    const tag = tagOf(node);
    if (tag === 'A' && isPermalink(node)) return;
    const heading = HEADING.exec(tag);
    if (heading) {
      this.flush();
      const text = collapse(node.textContent ?? '')
        .replace(/\n/g, ' ')
        .replace(PERMALINK, '');
      if (!text) return;
      if (titlesABox(node)) this.blocks.push({ kind: 'text', text });
      else this.blocks.push({ kind: 'heading', text, level: Number(heading[1]) });
      return;
    }
    if (tag === 'PRE') {
      this.flush();
      const text = codeText(node.textContent ?? '');
      if (text) this.blocks.push({ kind: 'code', text });
      return;
    }
    if (tag === 'BR') {
      this.inline.push(HARD_BREAK);
      return;
    }
    if (tag === 'TABLE' && !isLayoutTable(node)) {
      this.flush();
      this.table(node);
      return;
    }
    if (tag === 'LI' || tag === 'DT') {
      this.flush();
      this.pending = tag === 'LI' ? 'item' : 'term';
      for (const child of Array.from(node.childNodes)) this.walk(child);
      this.flush();
      this.pending = undefined;
      return;
    }
    const block = BLOCK_TAGS.has(tag) || tag === 'TD' || tag === 'TH' || tag === 'TR';
    if (block) this.flush();
    for (const child of Array.from(node.childNodes)) this.walk(child);
    if (block) this.flush();
  }

  /** A data table: one block per row, cells separated by a bar. */
  private table(table: DomElement): void {
    const caption = table.querySelector('caption');
    const captionText = caption ? collapse(caption.textContent ?? '') : '';
    if (captionText) this.blocks.push({ kind: 'text', text: captionText });
    for (const row of Array.from(table.querySelectorAll('tr'))) {
      const cells = Array.from(row.querySelectorAll('th,td'))
        .map((cell) => collapse(cell.textContent ?? '').replace(/\n/g, ' '))
        .filter(Boolean);
      if (cells.length > 0) this.blocks.push({ kind: 'row', text: cells.join(' | ') });
    }
  }
}

/**
 * The blocks of a content subtree: headings with their level, paragraphs with soft line breaks
 * joined, code verbatim, list items, table rows and defined terms one each.
 */
export function pageBlocks(root: DomElement): PageBlock[] {
  const collector = new BlockCollector();
  collector.walk(root);
  collector.flush();
  return collector.blocks;
}
