import type { PageBlock } from './page-blocks';

const ATX_HEADING = /^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)\s*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LIST_ITEM = /^\s{0,8}(?:[-*+]|\d{1,9}[.)])\s+(.*)$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;
const INDENTED_CODE = /^(?: {4}|\t)/;

/** Inline markup a reader does not see: emphasis marks, link targets, image syntax. */
function plainInline(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/\s+/g, ' ')
    .trim();
}

const tableRow = (line: string) =>
  line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((cell) => plainInline(cell))
    .join(' | ');

/**
 * The blocks of a Markdown document: headings (ATX and underlined), paragraphs with their soft
 * line breaks joined, list items, table rows, and fenced or indented code kept line for line with
 * its indentation. A person's notes then get the same section paths and passages as a web page.
 */
export function markdownBlocks(markdown: string): PageBlock[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const blocks: PageBlock[] = [];
  let paragraph: string[] = [];
  const endParagraph = () => {
    const text = plainInline(paragraph.join(' '));
    if (text) blocks.push({ kind: 'text', text });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fence = FENCE.exec(line);
    if (fence) {
      endParagraph();
      const marker = fence[1] ?? '```';
      const code: string[] = [];
      for (i++; i < lines.length && !(lines[i] ?? '').trimStart().startsWith(marker); i++) {
        code.push(lines[i] ?? '');
      }
      if (code.some((l) => l.trim())) blocks.push({ kind: 'code', text: code.join('\n') });
      continue;
    }
    const heading = ATX_HEADING.exec(line);
    if (heading) {
      endParagraph();
      const text = plainInline(heading[2] ?? '');
      if (text) blocks.push({ kind: 'heading', text, level: heading[1]?.length ?? 1 });
      continue;
    }
    const underline = SETEXT_UNDERLINE.exec(line);
    if (underline && paragraph.length > 0) {
      const text = plainInline(paragraph.join(' '));
      paragraph = [];
      if (text)
        blocks.push({ kind: 'heading', text, level: underline[1]?.startsWith('=') ? 1 : 2 });
      continue;
    }
    if (!line.trim()) {
      endParagraph();
      continue;
    }
    if (INDENTED_CODE.test(line) && paragraph.length === 0 && !LIST_ITEM.test(line)) {
      const code: string[] = [];
      for (; i < lines.length && (INDENTED_CODE.test(lines[i] ?? '') || !lines[i]?.trim()); i++) {
        code.push((lines[i] ?? '').replace(INDENTED_CODE, ''));
      }
      i--;
      while (code.length && !code[code.length - 1]?.trim()) code.pop();
      blocks.push({ kind: 'code', text: code.join('\n') });
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      endParagraph();
      paragraph = [item[1] ?? ''];
      // A list item runs on over its indented continuation lines.
      while (
        i + 1 < lines.length &&
        /^\s+\S/.test(lines[i + 1] ?? '') &&
        !LIST_ITEM.test(lines[i + 1] ?? '')
      ) {
        paragraph.push(lines[++i] ?? '');
      }
      const text = plainInline(paragraph.join(' '));
      paragraph = [];
      if (text) blocks.push({ kind: 'item', text });
      continue;
    }
    if (line.includes('|') && (TABLE_SEPARATOR.test(lines[i + 1] ?? '') || /^\s*\|/.test(line))) {
      endParagraph();
      if (!TABLE_SEPARATOR.test(line)) blocks.push({ kind: 'row', text: tableRow(line) });
      continue;
    }
    paragraph.push(line.replace(/^\s{0,3}>\s?/, ''));
  }
  endParagraph();
  return blocks;
}
