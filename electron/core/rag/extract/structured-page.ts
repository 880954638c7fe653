import { parseHTML } from 'linkedom';
import type { DomDocument, DomElement } from './dom-types';
import { mainContent, removeFurniture } from './main-content';
import { markdownBlocks } from './markdown-blocks';
import { pageBlocks, type PageBlock } from './page-blocks';
import { stripHidden } from './strip-hidden';

/** A block placed in the page's text, with the headings above it. */
export interface PlacedBlock extends PageBlock {
  /** Character offset of the block in `StructuredPage.text`. */
  offset: number;
  /** "Page › Section › Subsection". */
  section: string;
}

export interface StructuredPage {
  title: string;
  /** The blocks' text, one block a line (code blocks keep their own lines). */
  text: string;
  blocks: PlacedBlock[];
}

export const SECTION_SEPARATOR = ' › ';

const flat = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Places blocks one a line and gives each the path of headings above it. */
export function placeBlocks(title: string, blocks: PageBlock[]): StructuredPage {
  const headings: { level: number; text: string }[] = [];
  const placed: PlacedBlock[] = [];
  let offset = 0;
  const titleKey = flat(title).toLowerCase();
  for (const block of blocks) {
    if (block.kind === 'heading') {
      const level = block.level ?? 6;
      while (headings.length && (headings[headings.length - 1]?.level ?? 0) >= level)
        headings.pop();
      headings.push({ level, text: block.text });
    }
    const path = headings
      .map((h) => h.text)
      // The top heading usually repeats the page title; say it once.
      .filter((text, i) => !(i === 0 && titleKey && titleKey.includes(text.toLowerCase())));
    const section = [title, ...path].filter(Boolean).join(SECTION_SEPARATOR);
    placed.push({ ...block, offset, section });
    offset += block.text.length + 1;
  }
  return { title, text: blocks.map((b) => b.text).join('\n'), blocks: placed };
}

/**
 * The content of an HTML page with its structure: hidden text stripped first (a reader would not
 * see it, so neither does the model), navigation and furniture removed, the main content found,
 * then headings, paragraphs, code, lists and tables as blocks.
 */
export function structuredPage(html: string): StructuredPage {
  // Scripts and drawings are never text; dropping them before parsing saves most of the parse
  // time of pages full of syntax diagrams. Style sheets stay: they say what is hidden.
  const lean = html.replace(/<(script|svg)\b[^>]*>[^]*?<\/\1\s*>/gi, ' ');
  // linkedom builds no body for a bare fragment, so give it one.
  const page = /<(html|body)[\s>]/i.test(lean)
    ? lean
    : `<!doctype html><html><body>${lean}</body></html>`;
  const { document } = parseHTML(page) as unknown as { document: DomDocument };
  stripHidden(document as unknown as Parameters<typeof stripHidden>[0]);
  const titleElement = document.querySelector('title');
  let title = flat(titleElement?.textContent ?? '');
  removeFurniture(document);
  const root: DomElement = mainContent(document);
  const blocks = pageBlocks(root);
  if (!title) title = blocks.find((b) => b.kind === 'heading')?.text ?? '';
  return placeBlocks(title, blocks);
}

/**
 * HTML is read as above; Markdown by its own structure (its first heading is the title); other
 * plain text keeps its paragraphs.
 */
export function structuredDocument(body: string, contentType: string): StructuredPage {
  if (/html|xml/i.test(contentType)) return structuredPage(body);
  if (/markdown/i.test(contentType)) {
    const blocks = markdownBlocks(body);
    const first = blocks.find((block) => block.kind === 'heading');
    return placeBlocks(first?.level === 1 ? first.text : '', blocks);
  }
  const blocks: PageBlock[] = body
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/[ \t]*\n[ \t]*/g, ' ').trim())
    .filter(Boolean)
    .map((text) => ({ kind: 'text', text }));
  return placeBlocks('', blocks);
}
