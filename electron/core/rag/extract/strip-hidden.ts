import { colouredLikeBackground } from './same-colour-text';

/**
 * Removes what a reader of the page would not see, because hidden text is where prompt injections
 * hide: non-content elements, comments, and elements hidden by attributes, inline styles or simple
 * rules in the page's own style sheets.
 */

const NON_CONTENT =
  'script,style,noscript,template,iframe,frame,object,embed,svg,canvas,math,button,input,select,textarea,link,meta';

const HIDING_DECLARATIONS: RegExp[] = [
  /display\s*:\s*none/i,
  /visibility\s*:\s*(hidden|collapse)/i,
  /opacity\s*:\s*0(\.0+)?\s*(;|$|!)/i,
  /font-size\s*:\s*0*(\.\d+)?(px|pt|em|rem|%)?\s*(;|$|!)/i,
  /font-size\s*:\s*0*[01](\.\d+)?px/i,
  /(^|;|\s)color\s*:\s*(transparent|rgba\([^)]*,\s*0(\.0+)?\s*\))/i,
  /clip\s*:\s*rect\(\s*0/i,
  /clip-path\s*:\s*inset\(\s*(50%|100%)/i,
  /(width|height)\s*:\s*0(px)?\s*(;|$|!)[^]*overflow\s*:\s*hidden/i,
  /overflow\s*:\s*hidden[^]*(width|height)\s*:\s*0(px)?\s*(;|$|!)/i,
  /(left|top|text-indent)\s*:\s*-\d{3,}/i,
  /transform\s*:\s*scale\(\s*0(\.0+)?\s*\)/i,
];

export function hidesContent(style: string): boolean {
  return HIDING_DECLARATIONS.some((pattern) => pattern.test(style));
}

interface MinimalElement {
  remove(): void;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  textContent: string | null;
  parentElement?: MinimalElement | null;
}

interface MinimalDocument {
  querySelectorAll(selector: string): Iterable<MinimalElement> & ArrayLike<MinimalElement>;
}

/** Selectors of rules in the page's `<style>` blocks that hide what they match. */
function hidingSelectors(document: MinimalDocument): string[] {
  const selectors: string[] = [];
  for (const style of Array.from(document.querySelectorAll('style'))) {
    const css = (style.textContent ?? '').replace(/\/\*[^]*?\*\//g, '');
    for (const rule of css.matchAll(/([^{}@]+)\{([^{}]*)\}/g)) {
      const selector = rule[1]?.trim();
      if (selector && hidesContent(rule[2] ?? '')) selectors.push(selector);
    }
  }
  return selectors;
}

function removeComments(node: { childNodes?: ArrayLike<unknown> }): void {
  const children = Array.from(node.childNodes ?? []) as {
    nodeType: number;
    remove(): void;
    childNodes?: ArrayLike<unknown>;
  }[];
  for (const child of children) {
    if (child.nodeType === 8) child.remove();
    else removeComments(child);
  }
}

export function stripHidden(document: MinimalDocument): void {
  const selectors = hidingSelectors(document);
  for (const selector of selectors) {
    try {
      for (const element of Array.from(document.querySelectorAll(selector))) element.remove();
    } catch {
      // A selector the DOM library cannot parse hides nothing we can find; the rest still apply.
    }
  }
  for (const element of Array.from(document.querySelectorAll(NON_CONTENT))) element.remove();
  const flagged = '[hidden],[aria-hidden="true"],[style],input[type="hidden"]';
  for (const element of Array.from(document.querySelectorAll(flagged))) {
    if (element.hasAttribute('hidden') || element.getAttribute('aria-hidden') === 'true')
      element.remove();
    else if (hidesContent(element.getAttribute('style') ?? '')) element.remove();
    else if (colouredLikeBackground(element)) element.remove();
  }
  // A <dialog> without `open` is not rendered until a script opens it.
  for (const element of Array.from(document.querySelectorAll('dialog'))) {
    if (!element.hasAttribute('open')) element.remove();
  }
  removeComments(document as unknown as { childNodes?: ArrayLike<unknown> });
}
