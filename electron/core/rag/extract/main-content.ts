import { isElement, TEXT_NODE, type DomDocument, type DomElement, type DomNode } from './dom-types';

/**
 * Picks the part of a page that holds its content. Class-name heuristics only ever remove whole
 * navigation blocks here, never inline text: a word inside `<em class="mailheader">` is content.
 */

/** Landmarks that are navigation or page furniture, not content. */
const FURNITURE_TAGS = new Set(['NAV', 'FOOTER']);
const FURNITURE_ROLES = new Set(['navigation', 'contentinfo', 'search']);

/** Block containers whose class or id names them furniture (DocBook, Sphinx, asciidoc, wikis). */
const FURNITURE_NAME =
  /(^|[\s_-])(navheader|navfooter|navbar|navigation|sidebar|sphinxsidebar|sphinxsidebarwrapper|breadcrumbs?|related|footer|toc|menu|skip-?link)($|[\s_-])/i;

/** Containers that may be dropped whole as menus. Inline elements never are. */
const BLOCK_CONTAINERS = new Set([
  'DIV',
  'SECTION',
  'ASIDE',
  'UL',
  'OL',
  'TABLE',
  'DL',
  'HEADER',
  'P',
]);

/** Semantic containers tried first, best first. */
const CONTENT_SELECTORS = [
  'main',
  '[role=main]',
  'article',
  '#content',
  '#main-content',
  '#bodyContent',
  '.body',
  '.document',
  '.content',
];

interface TextStats {
  /** Visible characters, whitespace not counted. */
  text: number;
  /** Of those, characters inside links. */
  linkText: number;
  links: number;
  hasTitle: boolean;
}

function isFurniture(element: DomElement, stats: TextStats): boolean {
  const tag = element.tagName.toUpperCase();
  const role = element.getAttribute('role') ?? '';
  if (FURNITURE_TAGS.has(tag) || FURNITURE_ROLES.has(role)) return true;
  // A banner that carries the page's title is kept: the title names every passage's section.
  if (role === 'banner') return !stats.hasTitle;
  if (!BLOCK_CONTAINERS.has(tag) || stats.hasTitle) return false;
  const name = `${element.getAttribute('class') ?? ''} ${element.getAttribute('id') ?? ''}`;
  if (FURNITURE_NAME.test(name)) return true;
  return stats.links >= 3 && stats.linkText > stats.text * 0.6;
}

/**
 * Text statistics of `root` and every element under it, in one pass over the tree. With `prune`,
 * furniture is removed on the way, children before their parent, and what is left is counted: a
 * chapter whose table of contents outweighs its introduction is judged on the introduction once
 * the table is gone, not dropped with it.
 */
function measure(
  root: DomNode,
  stats: Map<DomNode, TextStats>,
  { prune = false, inLink = false }: { prune?: boolean; inLink?: boolean } = {},
): TextStats {
  const own: TextStats = { text: 0, linkText: 0, links: 0, hasTitle: false };
  for (const child of Array.from(root.childNodes)) {
    if (child.nodeType === TEXT_NODE) {
      const length = (child.textContent ?? '').replace(/\s+/g, '').length;
      own.text += length;
      if (inLink) own.linkText += length;
      continue;
    }
    if (!isElement(child)) continue;
    const tag = child.tagName.toUpperCase();
    const isLink = tag === 'A';
    const sub = measure(child, stats, { prune, inLink: inLink || isLink });
    if (prune && isFurniture(child, sub)) {
      child.remove();
      continue;
    }
    own.text += sub.text;
    own.linkText += sub.linkText;
    own.links += sub.links + (isLink ? 1 : 0);
    own.hasTitle ||= sub.hasTitle || tag === 'H1';
  }
  stats.set(root, own);
  return own;
}

/**
 * Removes navigation landmarks, furniture-named blocks and blocks that are mostly links (menus,
 * tables of contents, "Prev | Up | Next" bars) wherever they are.
 */
export function removeFurniture(document: DomDocument): void {
  measure(document.body ?? document.documentElement, new Map(), { prune: true });
}

const visibleLength = (element: DomElement) =>
  (element.textContent ?? '').replace(/\s+/g, '').length;

/** A candidate is plausible when it holds a real share of the page's text and is not a menu. */
function plausible(candidate: DomElement, stats: TextStats, bodyLength: number): boolean {
  if (stats.text < bodyLength * 0.3) return false;
  if (stats.text < 150 && stats.text < bodyLength * 0.8) return false;
  return stats.linkText < stats.text * 0.5 && visibleLength(candidate) > 0;
}

/** From the body down, into the child that holds most of the text, while one child dominates. */
function largestTextBlock(body: DomElement, stats: Map<DomNode, TextStats>): DomElement {
  let current = body;
  for (;;) {
    const total = stats.get(current)?.text ?? 0;
    let best: DomElement | undefined;
    let bestLength = 0;
    for (const child of Array.from(current.childNodes)) {
      if (!isElement(child)) continue;
      const length = stats.get(child)?.text ?? 0;
      if (length > bestLength) {
        best = child;
        bestLength = length;
      }
    }
    if (!best || bestLength < total * 0.85) return current;
    current = best;
  }
}

/**
 * The element whose text is the page's content, after furniture has been removed: a semantic
 * container when it is plausible (not a footer, not a sliver of the page, not mostly links),
 * else the largest block of text.
 */
export function mainContent(document: DomDocument): DomElement {
  const body = document.body ?? document.documentElement;
  const stats = new Map<DomNode, TextStats>();
  const bodyLength = measure(body, stats).text;
  for (const selector of CONTENT_SELECTORS) {
    let best: DomElement | undefined;
    for (const candidate of Array.from(document.querySelectorAll(selector))) {
      if ((stats.get(candidate)?.text ?? 0) > (best ? (stats.get(best)?.text ?? 0) : -1))
        best = candidate;
    }
    const bestStats = best && stats.get(best);
    if (best && bestStats && plausible(best, bestStats, bodyLength)) return best;
  }
  return largestTextBlock(body, stats);
}
