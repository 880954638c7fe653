import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { stripHidden } from './strip-hidden';

export interface ReadableText {
  title: string;
  /** Visible text, one paragraph a line. */
  text: string;
}

const BLOCK = new Set(
  'address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table td th tr ul'.split(
    ' ',
  ),
);

interface TextNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<TextNode>;
}

/** Text of a subtree with a line break around each block element. */
function blockText(node: TextNode): string {
  const parts: string[] = [];
  const walk = (current: TextNode) => {
    if (current.nodeType === 3) {
      parts.push(current.textContent ?? '');
      return;
    }
    if (current.nodeType !== 1 && current.nodeType !== 9 && current.nodeType !== 11) return;
    const block = BLOCK.has(current.nodeName.toLowerCase());
    if (block) parts.push('\n');
    for (const child of Array.from(current.childNodes)) walk(child);
    if (block) parts.push('\n');
  };
  walk(node);
  return parts
    .join('')
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

/**
 * The readable, visible text of an HTML page: hidden elements and comments are removed first,
 * then Readability picks the article; pages it cannot read fall back to the whole visible body.
 */
export function readableText(html: string, url?: string): ReadableText {
  // linkedom builds no body for a bare fragment, so give it one.
  const page = /<(html|body)[\s>]/i.test(html)
    ? html
    : `<!doctype html><html><body>${html}</body></html>`;
  const { document } = parseHTML(page);
  stripHidden(document as unknown as Parameters<typeof stripHidden>[0]);
  const title = (document.querySelector('title')?.textContent ?? '').replace(/\s+/g, ' ').trim();
  const bodyText = blockText((document.body ?? document.documentElement) as unknown as TextNode);
  let article: { title?: string | null; content?: string | null } | null = null;
  try {
    const doc = document as unknown as Document;
    if (url) (doc as unknown as { documentURI?: string }).documentURI ??= url;
    article = new Readability(doc, { charThreshold: 200 }).parse();
  } catch {
    article = null;
  }
  if (article?.content) {
    const { document: articleDoc } = parseHTML(
      `<!doctype html><html><body>${article.content}</body></html>`,
    );
    const text = blockText(articleDoc.body as unknown as TextNode);
    // Readability sometimes keeps only a fragment of a page made of many short blocks.
    if (text.length >= Math.min(200, bodyText.length * 0.5)) {
      return { title: article.title?.trim() || title, text };
    }
  }
  return { title, text: bodyText };
}

/** Plain text files, or HTML read as above. */
export function textOfDocument(body: string, contentType: string, url?: string): ReadableText {
  if (/html|xml/i.test(contentType)) return readableText(body, url);
  return { title: '', text: body.replace(/\r\n?/g, '\n').trim() };
}
