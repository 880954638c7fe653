import DOMPurify from 'dompurify';
import hljs from 'highlight.js/lib/common';

/** The language a fenced block names (```python → "python"), when it names one. */
function languageOf(code: Element): string | undefined {
  for (const name of code.classList) {
    if (name.startsWith('language-')) return name.slice('language-'.length);
  }
  return undefined;
}

/**
 * Colours the code with highlight.js. Its output is markup, so it goes through DOMPurify allowing
 * only `<span class>`: the code text itself can never become an element.
 */
function highlight(code: HTMLElement, language: string): void {
  const known = hljs.getLanguage(language);
  if (!known) return;
  const { value } = hljs.highlight(code.textContent, { language, ignoreIllegals: true });
  const spans = DOMPurify.sanitize(value, {
    ALLOWED_TAGS: ['span'],
    ALLOWED_ATTR: ['class'],
    RETURN_DOM_FRAGMENT: true,
  });
  code.replaceChildren(spans);
  code.classList.add('hljs');
}

/**
 * Each fenced code block gets a bar with its language and a Copy button, and its code coloured.
 * The button is handled by the Markdown component's click listener (`button.copy-code`).
 */
export function enhanceCodeBlocks(root: DocumentFragment): void {
  for (const pre of root.querySelectorAll('pre')) {
    const code = pre.querySelector('code');
    if (!code) continue;
    const language = languageOf(code);
    if (language) highlight(code, language);

    const block = document.createElement('div');
    block.className = 'code-block';
    const bar = document.createElement('div');
    bar.className = 'code-bar';
    const label = document.createElement('span');
    label.className = 'code-language';
    label.textContent = language ? (hljs.getLanguage(language)?.name ?? language) : 'text';
    const copy = document.createElement('button');
    copy.type = 'button';
    copy.className = 'copy-code';
    // The visible word is the start of the button's name ("Copy Python code"), so what a person
    // sees and what a screen reader or voice control names always agree, "Copied" included.
    const word = document.createElement('span');
    word.className = 'copy-word';
    word.textContent = 'Copy';
    const what = document.createElement('span');
    what.className = 'visually-hidden';
    what.textContent = ` ${label.textContent} code`;
    copy.append(word, what);
    bar.append(label, copy);
    pre.replaceWith(block);
    block.append(bar, pre);
  }
}
