export interface FoundUrl {
  text: string;
  index: number;
}

const URL_PATTERN = /\b(?:(?:https?|ftp|javascript|data|file):(?:\/\/)?|www\.)[^\s<>()[\]{}"'`]+/gi;

/** URLs written in plain text (with a scheme, or starting with www.), trailing punctuation left out. */
export function findUrls(text: string): FoundUrl[] {
  const found: FoundUrl[] = [];
  for (const match of text.matchAll(URL_PATTERN)) {
    const trimmed = match[0].replace(/[.,;:!?*_~]+$/, '');
    if (/^(javascript|data|file|https?|ftp):(\/\/)?$/i.test(trimmed)) continue;
    found.push({ text: trimmed, index: match.index ?? 0 });
  }
  return found;
}

/** A URL compared without case in scheme and host, without its fragment or a trailing slash. */
export function normalizeUrl(url: string): string {
  try {
    const parsed = new URL(/^www\./i.test(url) ? `https://${url}` : url);
    parsed.hash = '';
    return parsed.href.replace(/\/$/, '');
  } catch {
    return url.trim();
  }
}
