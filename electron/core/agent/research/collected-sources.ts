import { randomBytes } from 'node:crypto';
import type { Source } from '../../../shared';

/** Passages of one source kept for the model, at most this many characters each. */
const PASSAGE_CHARS = 1_200;
const PASSAGES_PER_SOURCE = 3;

interface Collected {
  source: Source;
  passages: string[];
}

/** Characters of source text in one prompt, all sources together (one-shot Search gives ~7,000). */
const DEFAULT_CONTEXT_CHARS = 8_000;

const FENCED_BLOCK =
  /<<<SOURCE (\d+) ([0-9a-f]+)>>>\n[\s\S]*?\ntitle: [^\n]*\n([\s\S]*?)\n<<<END SOURCE \1 \2>>>/g;

/**
 * The text a search gave the model for each of its sources: the sources' passages when the
 * pipeline attaches them, otherwise the fenced blocks of its system prompt, otherwise the snippet.
 */
export function passagesOf(sources: Source[], systemPrompt: string): Map<number, string[]> {
  const byNumber = new Map<number, string[]>();
  for (const match of systemPrompt.matchAll(FENCED_BLOCK)) {
    byNumber.set(Number(match[1]), [match[3] ?? '']);
  }
  const out = new Map<number, string[]>();
  for (const source of sources) {
    const passages = source.passages?.map((passage) => passage.text).filter(Boolean);
    out.set(
      source.n,
      passages?.length ? passages : (byNumber.get(source.n) ?? [source.snippet]).filter(Boolean),
    );
  }
  return out;
}

/**
 * Every source a Deep Search found, numbered once across all rounds in the order first seen. A
 * page found again keeps its number and gains the new passages.
 */
export class CollectedSources {
  private readonly byUrl = new Map<string, Collected>();

  get size(): number {
    return this.byUrl.size;
  }

  /** Adds one search's sources (up to `room` new ones); returns how many were new. */
  add(sources: Source[], passages: Map<number, string[]>, room: number): number {
    let added = 0;
    for (const source of sources) {
      const texts = (passages.get(source.n) ?? []).map((text) => text.slice(0, PASSAGE_CHARS));
      const known = this.byUrl.get(source.url);
      if (known) {
        for (const text of texts) {
          if (known.passages.length < PASSAGES_PER_SOURCE && !known.passages.includes(text)) {
            known.passages.push(text);
          }
        }
        continue;
      }
      if (added >= room) continue;
      const n = this.byUrl.size + 1;
      this.byUrl.set(source.url, {
        source: { ...source, n },
        passages: texts.slice(0, PASSAGES_PER_SOURCE),
      });
      added++;
    }
    return added;
  }

  /** The numbered sources as the answer shows them, with the passages the model was given. */
  sources(): Source[] {
    return [...this.byUrl.values()].map(({ source, passages }) => ({
      ...source,
      passages: passages.map((text, index) => ({
        text,
        section: source.passages?.[index]?.section ?? '',
        offset: source.passages?.[index]?.offset ?? -1,
      })),
    }));
  }

  /** All passage text, for the words a follow-up query may use. */
  allText(): string {
    return [...this.byUrl.values()]
      .map(({ source, passages }) => `${source.title}\n${passages.join('\n')}`)
      .join('\n');
  }

  /**
   * Each source fenced as untrusted data under a random tag a page cannot guess or close. With
   * `withUrls` false (for the analysis, which writes queries) no address is shown at all. The
   * sources share `maxChars` of text equally.
   */
  fenced(withUrls: boolean, maxChars = DEFAULT_CONTEXT_CHARS): { text: string; fence: string } {
    const fence = randomBytes(6).toString('hex');
    // Every source gets an equal share of the text, so the prompt fits a small model's context
    // however many rounds found sources.
    const share = Math.max(300, Math.floor(maxChars / Math.max(1, this.byUrl.size)));
    const blocks = [...this.byUrl.values()].map(({ source, passages }) => {
      // Only a source's own address (its url line) may reach the model; any address in page text
      // is taken out, so neither a follow-up query nor the answer can pick one up from a page.
      const body = passages
        .join('\n…\n')
        .slice(0, share)
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
