import { structuredPage } from './structured-page';

export interface ReadableText {
  title: string;
  /** Visible text, one block (paragraph, heading, list item, table row, code line) a line. */
  text: string;
}

/**
 * The readable, visible text of an HTML page: hidden elements and comments are removed first,
 * then navigation and furniture, then the main content is read block by block.
 */
export function readableText(html: string, _url?: string): ReadableText {
  const page = structuredPage(html);
  return { title: page.title, text: page.text };
}
