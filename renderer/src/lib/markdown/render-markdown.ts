import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { checkExternalUrl } from '../../../../electron/shared';
import { enhanceCodeBlocks } from './enhance-code-blocks';

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/**
 * Markdown with raw HTML off (SECURITY.md #5): an HTML block or tag in model output or a search
 * snippet is shown as text. Images are never loaded (#7): each becomes a link that opens only when
 * clicked, outside the app.
 */
const markdown = new Marked({ gfm: true, breaks: false, async: false }).use({
  renderer: {
    html: ({ text }) => escapeHtml(text),
    image: ({ href, text }) =>
      `<a href="${escapeHtml(href)}" class="blocked-image" title="Image not loaded. Click to open it in your browser.">[image: ${escapeHtml(text || href)}]</a>`,
  },
});

const ALLOWED_TAGS = [
  'p',
  'br',
  'hr',
  'strong',
  'em',
  'del',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'a',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'input',
  'span',
  'sup',
];
const ALLOWED_ATTR = ['href', 'title', 'class', 'start', 'align', 'type', 'checked', 'disabled'];
const CITATION = /\[(\d{1,3})\]/g;

let hooksInstalled = false;
function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A') {
      const href = node.getAttribute('href') ?? '';
      // Only web and mail links survive, and they never navigate the app itself.
      if (!checkExternalUrl(href).ok) node.removeAttribute('href');
      node.setAttribute('rel', 'noopener noreferrer nofollow');
      node.removeAttribute('target');
    }
    if (node.tagName === 'INPUT' && node.getAttribute('type') !== 'checkbox') node.remove();
  });
}

/** Turns `[n]` in text (outside code) into a link to source card n, when source n exists. */
function linkCitations(root: DocumentFragment, sourceNumbers: ReadonlySet<number>): void {
  if (sourceNumbers.size === 0) return;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement?.closest('code, pre, a')) texts.push(node as Text);
  }
  for (const text of texts) {
    const value = text.data;
    if (!CITATION.test(value)) continue;
    CITATION.lastIndex = 0;
    const parts = document.createDocumentFragment();
    let last = 0;
    for (const match of value.matchAll(CITATION)) {
      const n = Number(match[1]);
      if (!sourceNumbers.has(n)) continue;
      parts.append(value.slice(last, match.index));
      const link = document.createElement('a');
      link.className = 'citation';
      link.dataset.source = String(n);
      link.href = `#source-${n}`;
      link.textContent = `[${n}]`;
      link.setAttribute('aria-label', `Source ${n}`);
      parts.append(link);
      last = match.index + match[0].length;
    }
    parts.append(value.slice(last));
    text.replaceWith(parts);
  }
}

/** Deeper quotes and lists than anyone reads; marked recurses once per level (stack overflow). */
const MAX_NESTING = 20;
/** One block-quote or list marker at the start of a line, with the space after it. */
const CONTAINER_MARKER = /[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]?/y;

/**
 * Keeps at most MAX_NESTING quote/list markers at the start of each line: a model stuck repeating
 * `>` or `- ` writes thousands, and marked's block lexer recurses once per marker until the stack
 * runs out ("Maximum call stack size exceeded").
 */
export function capNesting(text: string): string {
  let changed = false;
  const lines = text.split('\n').map((line) => {
    CONTAINER_MARKER.lastIndex = 0;
    let markers = 0;
    let keep = 0;
    let end = 0;
    while (CONTAINER_MARKER.test(line)) {
      markers += 1;
      end = CONTAINER_MARKER.lastIndex;
      if (markers === MAX_NESTING) keep = end;
    }
    if (markers <= MAX_NESTING) return line;
    changed = true;
    return line.slice(0, keep) + line.slice(end);
  });
  return changed ? lines.join('\n') : text;
}

/** So long a run of `*` is never emphasis; marked scans it in quadratic time (20,000: ~5 s). */
const LONG_ASTERISK_RUN = /\*{500,}/g;

/** Escapes each `*` of a very long run, so it shows as written and parses in linear time. */
export function escapeLongAsteriskRuns(text: string): string {
  return text.replace(LONG_ASTERISK_RUN, (run) => '\\*'.repeat(run.length));
}

/** The text exactly as written, escaped by the DOM itself: what shows when markdown cannot parse. */
function plainText(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const paragraph = document.createElement('p');
  paragraph.className = 'plain-text';
  paragraph.textContent = text;
  fragment.append(paragraph);
  return fragment;
}

/**
 * Model output (or a snippet) as a sanitised DOM fragment: markdown → HTML with raw HTML escaped →
 * DOMPurify with a small allow-list → citation links. The caller appends the fragment; no string of
 * HTML is ever put into the page. Should the parser fail on some input, the answer still shows, as
 * plain text.
 */
export function renderMarkdown(
  text: string,
  sourceNumbers: ReadonlySet<number> = new Set(),
  allowedLinks?: ReadonlySet<string>,
): DocumentFragment {
  installHooks();
  let fragment: DocumentFragment;
  try {
    const html = markdown.parse(escapeLongAsteriskRuns(capNesting(text))) as string;
    fragment = DOMPurify.sanitize(html, {
      ALLOWED_TAGS,
      ALLOWED_ATTR,
      ALLOW_DATA_ATTR: false,
      ALLOW_ARIA_ATTR: false,
      RETURN_DOM_FRAGMENT: true,
    });
  } catch {
    fragment = plainText(text);
  }
  if (allowedLinks) restrictLinks(fragment, allowedLinks);
  linkCitations(fragment, sourceNumbers);
  enhanceCodeBlocks(fragment);
  return fragment;
}

/**
 * A Search answer may link only to its own sources (SECURITY.md #13): a page that talked the model
 * into writing another address gets plain text, not a link, even while the answer is still streaming.
 */
function restrictLinks(root: DocumentFragment, allowed: ReadonlySet<string>): void {
  const normalise = (href: string): string => {
    try {
      return new URL(href).href;
    } catch {
      return href;
    }
  };
  const permitted = new Set([...allowed].map(normalise));
  for (const link of root.querySelectorAll('a[href]')) {
    const href = link.getAttribute('href') ?? '';
    if (!permitted.has(normalise(href))) {
      link.removeAttribute('href');
      link.setAttribute('title', 'Not one of this answer’s sources, so not a link.');
    }
  }
}
