import { Lexer, type Token, type Tokens } from 'marked';
import type { PageBlock } from './page-blocks';

/** What a reader sees of inline markup: the words, without emphasis marks or link targets. */
function inlineText(tokens: Token[] | undefined, fallback: string): string {
  if (!tokens) return fallback;
  return tokens
    .map((token) => {
      if (token.type === 'br') return ' ';
      if ('tokens' in token && token.tokens) return inlineText(token.tokens, '');
      return 'text' in token && typeof token.text === 'string' ? token.text : '';
    })
    .join('');
}

const flat = (text: string) => text.replace(/\s+/g, ' ').trim();

function blocksOf(tokens: Token[], out: PageBlock[]): void {
  for (const token of tokens) {
    switch (token.type) {
      case 'heading': {
        const text = flat(inlineText(token.tokens, token.text));
        if (text) out.push({ kind: 'heading', text, level: (token as Tokens.Heading).depth });
        break;
      }
      case 'paragraph':
      case 'text': {
        const text = flat(inlineText(token.tokens, token.text));
        if (text) out.push({ kind: 'text', text });
        break;
      }
      case 'code': {
        const text = (token as Tokens.Code).text;
        if (text.trim()) out.push({ kind: 'code', text });
        break;
      }
      case 'list':
        for (const item of (token as Tokens.List).items) {
          const text = flat(inlineText(item.tokens, item.text));
          if (text) out.push({ kind: 'item', text });
        }
        break;
      case 'table': {
        const table = token as Tokens.Table;
        for (const row of [table.header, ...table.rows]) {
          out.push({
            kind: 'row',
            text: row.map((cell) => flat(inlineText(cell.tokens, cell.text))).join(' | '),
          });
        }
        break;
      }
      case 'blockquote':
        blocksOf((token as Tokens.Blockquote).tokens, out);
        break;
      case 'html': {
        const text = flat(token.text.replace(/<[^>]*>/g, ' '));
        if (text) out.push({ kind: 'text', text });
        break;
      }
      default:
        // Spaces, rules and link definitions hold no text.
        break;
    }
  }
}

/**
 * The blocks of a Markdown document, read with the same Markdown parser the window renders
 * answers with: headings (ATX and underlined), paragraphs with their soft line breaks joined,
 * list items, table rows, and fenced or indented code kept line for line with its indentation. A
 * person's notes then get the same section paths and passages as a web page.
 */
export function markdownBlocks(markdown: string): PageBlock[] {
  const out: PageBlock[] = [];
  blocksOf(new Lexer({ gfm: true }).lex(markdown.replace(/\r\n?/g, '\n')), out);
  return out;
}
