import type { Source } from '../../shared';
import { findUrls, normalizeUrl } from './url-text';

export interface FilteredAnswer {
  text: string;
  /** Links and URLs taken out because they belong to no source. */
  removedLinks: string[];
  /** Citation numbers that named no source. */
  droppedCitations: number[];
}

/**
 * Post-processes a Search answer: citations `[n]` outside 1..k are dropped, images are removed
 * (they would load a remote address on display), and every link or URL that is not one of the
 * sources' is removed, keeping a link's words.
 */
export function filterAnswer(text: string, sources: Pick<Source, 'n' | 'url'>[]): FilteredAnswer {
  const allowed = new Set(sources.map((s) => normalizeUrl(s.url)));
  const numbers = new Set(sources.map((s) => s.n));
  const removedLinks: string[] = [];
  const droppedCitations: number[] = [];
  const keep = (url: string) => {
    if (allowed.has(normalizeUrl(url.trim().replace(/^<|>$/g, '')))) return true;
    removedLinks.push(url);
    return false;
  };

  let out = text
    // Markdown images: never shown, whatever their address.
    .replace(/!\[([^\]]*)\]\(([^)]*)\)/g, (_, alt: string, url: string) => {
      removedLinks.push(url);
      return alt;
    })
    .replace(
      /\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g,
      (whole, label: string, url: string) => (keep(url) ? whole : label),
    )
    .replace(
      /<a\b[^>]*?href\s*=\s*["']?([^"'\s>]*)["']?[^>]*>([^]*?)<\/a>/gi,
      (whole, url: string, label: string) => (keep(url) ? whole : label),
    )
    .replace(/<((?:https?|ftp|javascript|data):[^>\s]+)>/gi, (whole, url: string) =>
      keep(url) ? whole : '',
    );

  // Reference-style link definitions: `[id]: https://…`.
  out = out.replace(/^\s*\[[^\]]+\]:\s*(\S+).*$/gm, (whole, url: string) =>
    keep(url) ? whole : '',
  );

  for (const url of findUrls(out).reverse()) {
    if (keep(url.text)) continue;
    out = out.slice(0, url.index) + out.slice(url.index + url.text.length);
  }

  out = out.replace(/\[(\s*\d+(?:\s*[,;–-]\s*\d+)*\s*)\](?!\()/g, (_, inner: string) => {
    const cited = inner.split(/[,;–-]/).map((n) => Number(n.trim()));
    const valid = cited.filter((n) => numbers.has(n));
    droppedCitations.push(...cited.filter((n) => !numbers.has(n)));
    return valid.length ? `[${valid.join(', ')}]` : '';
  });

  return {
    text: out.replace(/[ \t]{2,}/g, ' ').replace(/ +([.,;:!?])/g, '$1'),
    removedLinks,
    droppedCitations,
  };
}
