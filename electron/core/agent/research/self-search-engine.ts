import type { AnswerEvent, GenerationStats, Source } from '../../../shared';
import { toAppError } from '../../errors';
import type { Engine, GenerateRequest } from '../../llm/engine-types';
import type { SearchPort } from '../ports';
import { CollectedSources } from './collected-sources';
import { allowedWords, safeQuery } from './safe-query';
import { searchRound } from './search-round';
import { SEARCH_R1_TAGS, type SelfSearchTags } from './self-search-tags';

export { SEARCH_R1_TAGS, type SelfSearchTags };

export interface SelfSearchOptions {
  tags?: Partial<SelfSearchTags>;
  /** Searches one answer may run; after that the model's tags are left as text. @default 3 */
  maxSearches?: number;
  /** Distinct sources kept. @default 12 */
  pages?: number;
  /** Told of the numbered sources whenever they change (to save them with the answer). */
  onSources?: (sources: Source[]) => void;
}

/** Characters of each source given back inside the information tags. */
const INFORMATION_CHARS = 1_500;

/**
 * An Engine for models that search by themselves: generation stops at the closing search tag,
 * Ponder runs the search, feeds the passages back inside the model's information tags, and the
 * model continues, until it answers or the search budget is spent. The search tags never reach
 * the answer text; each search becomes a `self-search` step. Queries pass the same gate as Deep
 * Search's follow-ups (words of the question and of passages already given; no address or
 * operator the person did not write).
 */
export function withSelfSearch(
  engine: Engine,
  search: Pick<SearchPort, 'run'>,
  options: SelfSearchOptions = {},
): Engine {
  const tags = { ...SEARCH_R1_TAGS, ...options.tags };
  const maxSearches = options.maxSearches ?? 3;
  const pages = options.pages ?? 12;

  async function* generate(request: GenerateRequest): AsyncGenerator<AnswerEvent> {
    const question = request.messages.at(-1)?.text ?? '';
    const collected = new CollectedSources();
    const turns = [...request.messages];
    let searches = 0;
    let spentMs = 0;
    let completionTokens = 0;
    for (;;) {
      const canSearch = searches < maxSearches;
      const held = new HeldText(canSearch ? tags.open : undefined);
      let written = '';
      let done: GenerationStats | undefined;
      for await (const event of engine.generate({
        ...request,
        messages: turns,
        stop: [...(request.stop ?? []), ...(canSearch ? [tags.close] : [])],
      })) {
        if (event.type === 'done') {
          done = event.stats;
          break;
        }
        if (event.type === 'text') {
          written += event.text;
          const shown = held.push(event.text);
          if (shown) yield { type: 'text', text: shown };
          continue;
        }
        if (event.type === 'reasoning' || event.type === 'solution') written += event.text;
        yield event;
        if (event.type === 'error') return;
      }
      if (!done) return;
      spentMs += done.totalMs;
      completionTokens += done.completionTokens;
      const query = held.query();
      if (done.stopReason !== 'stop-string' || query === undefined) {
        const rest = held.flush();
        if (rest) yield { type: 'text', text: rest };
        yield {
          type: 'done',
          stats: { ...done, completionTokens, totalMs: Math.round(spentMs * 10) / 10 },
        };
        return;
      }

      searches += 1;
      // The model saw the conversation too: its query may use only the question's words and
      // those of passages it was given, so nothing else of the history leaves with a search.
      const cleaned = safeQuery(query, question, allowedWords(question, collected.allText()));
      let information = 'No search was run: the query was empty.';
      if (cleaned) {
        try {
          const signal = request.signal ?? new AbortController().signal;
          const [outcome] = await searchRound(search, [cleaned], signal, 1);
          if (!outcome) throw new Error('no result');
          yield* outcome.events;
          const before = collected.size;
          collected.add(outcome.sources, outcome.passages, pages - collected.size);
          yield {
            type: 'step',
            step: {
              kind: 'self-search',
              round: searches,
              query: cleaned,
              count: outcome.sources.length,
              ms: outcome.ms,
              text: outcome.failure
                ? `The model searched “${cleaned}”: the search failed (${outcome.failure}).`
                : `The model searched “${cleaned}”: ${outcome.sources.length} sources, ${collected.size - before} new.`,
            },
          };
          information = outcome.failure
            ? `The search failed: ${outcome.failure}`
            : informationText(
                collected,
                outcome.sources.map((source) => source.url),
              );
          const sources = collected.sources();
          options.onSources?.(sources);
          yield { type: 'sources', sources };
        } catch (error) {
          if (request.signal?.aborted) throw error;
          information = `The search failed: ${toAppError(error).message}`;
        }
      }
      turns.push(
        { role: 'assistant', text: `${written}${tags.close}` },
        { role: 'user', text: `${tags.informationOpen}${information}${tags.informationClose}` },
      );
    }
  }

  return {
    generate,
    countTokens: (text) => engine.countTokens(text),
    prepare: (mode, signal) => engine.prepare(mode, signal),
    info: () => engine.info(),
    dispose: () => engine.dispose(),
  };
}

/** The passages of one search's sources, numbered as the answer cites them. */
function informationText(collected: CollectedSources, urls: string[]): string {
  const wanted = new Set(urls);
  return collected
    .sources()
    .filter((source) => wanted.has(source.url))
    .map((source) => {
      const text = (source.passages ?? []).map((passage) => passage.text).join(' … ');
      return `Doc ${source.n} (Title: ${source.title.replace(/\s+/g, ' ')}) ${text.slice(0, INFORMATION_CHARS)}`;
    })
    .join('\n');
}

/**
 * Text as it streams, with everything from the opening search tag on held back: the tag and the
 * query are not part of the answer. A possible start of the tag at the end waits for the next piece.
 */
class HeldText {
  private pending = '';
  private holding = false;

  constructor(private readonly open: string | undefined) {}

  push(text: string): string {
    if (!this.open) return text;
    this.pending += text;
    if (this.holding) return '';
    const at = this.pending.indexOf(this.open);
    if (at >= 0) {
      this.holding = true;
      const shown = this.pending.slice(0, at);
      this.pending = this.pending.slice(at);
      return shown;
    }
    let keep = 0;
    for (let length = Math.min(this.open.length - 1, this.pending.length); length > 0; length--) {
      if (this.open.startsWith(this.pending.slice(-length))) {
        keep = length;
        break;
      }
    }
    const shown = this.pending.slice(0, this.pending.length - keep);
    this.pending = this.pending.slice(this.pending.length - keep);
    return shown;
  }

  /** The query between the tags, when generation stopped at the closing one. */
  query(): string | undefined {
    return this.holding && this.open ? this.pending.slice(this.open.length).trim() : undefined;
  }

  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return rest;
  }
}
