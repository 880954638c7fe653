import { renderMarkdown } from './render-markdown';

/** One block of rendered markdown as text; a code block keeps its code and drops its bar. */
function blockText(element: Element): string {
  const tag = element.tagName;
  if (tag === 'UL' || tag === 'OL') {
    return [...element.children]
      .map((item, index) => `${tag === 'OL' ? `${index + 1}.` : '-'} ${item.textContent.trim()}`)
      .join('\n');
  }
  if (element.classList.contains('code-block')) {
    return element.querySelector('pre')?.textContent.replace(/\n$/, '') ?? '';
  }
  if (tag === 'TABLE') {
    return [...element.querySelectorAll('tr')]
      .map((row) => [...row.children].map((cell) => cell.textContent.trim()).join('\t'))
      .join('\n');
  }
  return element.textContent.trim();
}

/** An answer without its markdown: what "Copy text" puts on the clipboard. */
export function markdownToPlainText(markdown: string): string {
  const fragment = renderMarkdown(markdown);
  return [...fragment.children]
    .map(blockText)
    .filter((text) => text !== '')
    .join('\n\n');
}
