import { randomBytes } from 'node:crypto';
import type { Source, SourcePassage } from '../../../shared';

/** Characters of one passage kept for the model: joined neighbours run to ~2 passages. */
const PASSAGE_CHARS = 3_000;
/** Passages kept of one source, across every search that found it (one search gives up to 9). */
const PASSAGES_PER_SOURCE = 12;

/** A passage with the search that found it: rank within a search orders the prompt's budget. */
interface CollectedPassage extends SourcePassage {
  search: number;
}

interface Collected {
  source: Source;
  passages: CollectedPassage[];
}

/** Characters of source text in one prompt, all sources together (one Quick Search gives 8,000). */
const DEFAULT_CONTEXT_CHARS = 12_000;

const FENCED_BLOCK =
  /<<<SOURCE (\d+) ([0-9a-f]+)>>>\n[\s\S]*?\ntitle: [^\n]*\n([\s\S]*?)\n<<<END SOURCE \1 \2>>>/g;

/**
 * The text a search gave the model for each of its sources: the sources' passages (with their
 * rank) when the pipeline attaches them, otherwise the fenced blocks of its system prompt,
 * otherwise the snippet.
 */
export function passagesOf(sources: Source[], systemPrompt: string): Map<number, SourcePassage[]> {
  const byNumber = new Map<number, string>();
  for (const match of systemPrompt.matchAll(FENCED_BLOCK)) {
    byNumber.set(Number(match[1]), match[3] ?? '');
  }
  const out = new Map<number, SourcePassage[]>();
  for (const source of sources) {
    const passages = source.passages?.filter((passage) => passage.text);
    const fallback = byNumber.get(source.n) ?? source.snippet;
    out.set(
      source.n,
      passages?.length
        ? passages
        : fallback
          ? [{ text: fallback, section: '', offset: -1, rank: source.n - 1 }]
          : [],
    );
  }
  return out;
}

const sameText = (a: SourcePassage, b: SourcePassage) =>
  a.text === b.text || (a.offset >= 0 && a.offset === b.offset && a.section === b.section);

/**
 * Every source a Deep Search found, numbered once across all rounds in the order first seen. A
 * page found again keeps its number and gains the new passages.
 */
export class CollectedSources {
  private readonly byUrl = new Map<string, Collected>();
  private searches = 0;

  get size(): number {
    return this.byUrl.size;
  }

  /** Adds one search's sources (up to `room` new ones); returns how many were new. */
  add(sources: Source[], passages: Map<number, SourcePassage[]>, room: number): number {
    const search = this.searches++;
    let added = 0;
    for (const source of sources) {
      const found = (passages.get(source.n) ?? []).map((passage, position) => ({
        ...passage,
        text: passage.text.slice(0, PASSAGE_CHARS),
        rank: passage.rank ?? position,
        search,
      }));
      const known = this.byUrl.get(source.url);
      if (known) {
        for (const passage of found) {
          if (
            known.passages.length < PASSAGES_PER_SOURCE &&
            !known.passages.some((kept) => sameText(kept, passage))
          ) {
            known.passages.push(passage);
          }
        }
        continue;
      }
      if (added >= room) continue;
      const n = this.byUrl.size + 1;
      this.byUrl.set(source.url, {
        source: { ...source, n },
        passages: found.slice(0, PASSAGES_PER_SOURCE),
      });
      added++;
    }
    return added;
  }

  /** The numbered sources as the answer shows them, with every passage collected for each. */
  sources(): Source[] {
    return [...this.byUrl.values()].map(({ source, passages }) => ({
      ...source,
      passages: inPageOrder(passages).map(({ text, section, offset }) => ({
        text,
        section,
        offset,
      })),
    }));
  }

  /** All passage text, for the words a follow-up query may use. */
  allText(): string {
    return [...this.byUrl.values()]
      .map(({ source, passages }) => `${source.title}\n${passages.map((p) => p.text).join('\n')}`)
      .join('\n');
  }

  /**
   * The passages that fit `maxChars`, taken best first and each search in turn (the best of
   * every search, then the second best of every search, …), so a later round's answer is not
   * crowded out by an earlier round's long tail. The last one taken may be cut short.
   */
  private fitting(maxChars: number): Map<Collected, CollectedPassage[]> {
    const all = [...this.byUrl.values()].flatMap((entry) =>
      entry.passages.map((passage) => ({ entry, passage })),
    );
    all.sort(
      (a, b) =>
        (a.passage.rank ?? 0) - (b.passage.rank ?? 0) || a.passage.search - b.passage.search,
    );
    const kept = new Map<Collected, CollectedPassage[]>();
    let left = maxChars;
    for (const { entry, passage } of all) {
      if (left < 200) break;
      const text = passage.text.length > left ? passage.text.slice(0, left) : passage.text;
      left -= text.length;
      kept.set(entry, [...(kept.get(entry) ?? []), { ...passage, text }]);
    }
    return kept;
  }

  /**
   * Each source fenced as untrusted data under a random tag a page cannot guess or close. With
   * `withUrls` false (for the analysis, which writes queries) no address is shown at all. The
   * passages within `maxChars` are chosen by rank, each search in turn; a source with none of
   * them keeps its title so its number still means something.
   */
  fenced(withUrls: boolean, maxChars = DEFAULT_CONTEXT_CHARS): { text: string; fence: string } {
    const fence = randomBytes(6).toString('hex');
    const kept = this.fitting(maxChars);
    const blocks = [...this.byUrl.values()].map((entry) => {
      const { source } = entry;
      // Only a source's own address (its url line) may reach the model; any address in page text
      // is taken out, so neither a follow-up query nor the answer can pick one up from a page.
      const body = inPageOrder(kept.get(entry) ?? [])
        .map((passage) => passage.text)
        .join('\n…\n')
        .replace(/\b(?:[a-z][a-z0-9+.-]*:\/\/|www\.)\S+/gi, '[link removed]')
        .replaceAll(fence, '');
      const title = source.title
        .replace(/\s+/g, ' ')
        .replace(/\b(?:[a-z][a-z0-9+.-]*:\/\/|www\.)\S+/gi, '[link removed]')
        .replaceAll(fence, '');
      const head = withUrls ? `url: ${source.url}\ntitle: ${title}` : `title: ${title}`;
      return `<<<SOURCE ${source.n} ${fence}>>>\n${head}\n${body}\n<<<END SOURCE ${source.n} ${fence}>>>`;
    });
    return { text: blocks.join('\n'), fence };
  }
}

/** A page's passages as they stand in the page; passages without an offset keep their order. */
function inPageOrder<T extends SourcePassage>(passages: T[]): T[] {
  const place = (passage: SourcePassage) =>
    passage.offset < 0 ? Number.MAX_SAFE_INTEGER : passage.offset;
  return [...passages].sort((a, b) => place(a) - place(b));
}
