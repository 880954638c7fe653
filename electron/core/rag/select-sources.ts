import type { Source, SourcePassage } from '../../shared';
import type { SourceWithPassages } from './build-context';
import type { SearchResult } from './search-types';

/** A passage that may be given to the model, from a read page or an unread page's snippet. */
export interface PassageCandidate {
  result: SearchResult;
  passage: SourcePassage;
  /** What is ranked: the section path (page title first) and the passage. */
  rank: { heading: string; text: string; page?: string };
}

export interface SelectOptions {
  /** Most sources (default 5). */
  topK: number;
  /** Most passages in all (default 8). */
  passageCount: number;
  /** Most passages from one source (default 3). */
  perSource: number;
  /** Characters of passages in all (default 7000). */
  maxChars: number;
}

export function domainOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'file:' ? 'local' : parsed.hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}

function excerpt(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Passages of one page in page order, with overlapping neighbours joined into one. */
function joinOverlaps(passages: SourcePassage[]): SourcePassage[] {
  const sorted = [...passages].sort((a, b) => a.offset - b.offset);
  const joined: SourcePassage[] = [];
  for (const passage of sorted) {
    const previous = joined[joined.length - 1];
    const previousEnd = previous ? previous.offset + previous.text.length : -1;
    if (
      previous &&
      previous.offset >= 0 &&
      passage.offset >= 0 &&
      passage.offset <= previousEnd &&
      previous.section === passage.section
    ) {
      previous.text += passage.text.slice(previousEnd - passage.offset);
      previous.rank = Math.min(previous.rank ?? Infinity, passage.rank ?? Infinity);
    } else {
      joined.push({ ...passage });
    }
  }
  return joined;
}

/**
 * The numbered sources: the best passages (not pages) in ranked order, at most `perSource` from
 * one page and `topK` pages in all; then, while room is left, the passages right after and
 * before the best ones, since an answer often runs on past a passage's end. They are grouped by
 * page and numbered by each page's best passage.
 */
export function selectSources(
  candidates: PassageCandidate[],
  ranked: { index: number; score: number }[],
  options: SelectOptions,
): SourceWithPassages[] {
  const chosen = new Map<string, { result: SearchResult; score: number; indices: number[] }>();
  // Insertion order is the order of taking: ranked passages first, then their neighbours.
  const taken = new Set<number>();
  let chars = 0;
  const take = (index: number, score: number, limit: number): boolean => {
    const candidate = candidates[index];
    if (!candidate || taken.has(index) || taken.size >= limit) return false;
    const url = candidate.result.url;
    const existing = chosen.get(url);
    if (!existing && chosen.size >= options.topK) return false;
    if (existing && existing.indices.length >= options.perSource) return false;
    if (chars + candidate.passage.text.length > options.maxChars) return false;
    chars += candidate.passage.text.length;
    taken.add(index);
    if (existing) existing.indices.push(index);
    else chosen.set(url, { result: candidate.result, score, indices: [index] });
    return true;
  };
  const firstPass = Math.max(1, Math.ceil(options.passageCount * 0.7));
  for (const { index, score } of ranked) {
    if (taken.size >= firstPass) break;
    take(index, score, firstPass);
  }
  const best = [...taken];
  for (const index of best) {
    const url = candidates[index]?.result.url;
    for (const neighbour of [index + 1, index - 1]) {
      if (
        candidates[neighbour]?.result.url === url &&
        candidates[neighbour]?.passage.offset !== -1
      ) {
        take(neighbour, 0, options.passageCount);
      }
    }
  }
  const order = new Map([...taken].map((index, position) => [index, position]));
  return [...chosen.values()].map(({ result, score, indices }, i) => {
    const inOrder = joinOverlaps(
      indices.flatMap((index) => {
        const passage = candidates[index]?.passage;
        return passage ? [{ ...passage, rank: order.get(index) ?? order.size }] : [];
      }),
    );
    const source: Source = {
      n: i + 1,
      title: excerpt(result.title, 200) || domainOf(result.url),
      url: result.url,
      domain: domainOf(result.url),
      snippet: excerpt(result.snippet || inOrder[0]?.text || ''),
      score: Math.round(score * 1000) / 1000,
      provider: result.provider,
      passages: inOrder,
    };
    return { source, passages: inOrder.map((p) => p.text) };
  });
}
