import type { AnswerEvent, Mode, ResearchStep, Source } from '../../../shared';
import { PonderError, toAppError } from '../../errors';
import type { Engine } from '../../llm/engine-types';
import type { SearchPort } from '../ports';
import { askJson } from './ask-json';
import { CollectedSources } from './collected-sources';
import { linkedSignal } from './linked-signal';
import { resolveResearchBudgets, type ResearchBudgets } from './research-budgets';
import {
  analysisPrompt,
  analysisSchema,
  conclusionPrompt,
  knownText,
  planPrompt,
  planSchema,
  stringList,
} from './research-prompts';
import { allowedWords, newQueries, safeQuery } from './safe-query';
import { searchRound, searchStep } from './search-round';

export interface DeepSearchDeps {
  engine: Engine;
  /** One-shot retrieval, run once per sub-question and follow-up. */
  search: SearchPort;
  budgets?: Partial<ResearchBudgets>;
  /** The mode (and so the adapter) that writes plans and analyses. @default 'search' */
  mode?: Mode;
  /**
   * Tokens one plan may write; an analysis may write twice as many, since it also writes what is
   * now known. @default 256
   */
  decisionMaxTokens?: number;
  /** Searches run at once within a round. @default 2 */
  concurrency?: number;
  /** Told of every step as it happens (history saves the timeline with the answer). */
  onStep?: (step: ResearchStep) => void;
}

export interface DeepSearch {
  /**
   * Plans, searches, analyses and repeats within the budgets; yields the searches' events and
   * `step` events, then one `sources` event numbered across every round, and returns the system
   * prompt that concludes from them. Only a cancel throws: a failed step ends the loop with what
   * it has and a notice that says what failed.
   */
  run(
    question: string,
    signal?: AbortSignal,
  ): AsyncGenerator<AnswerEvent, { sources: Source[]; systemPrompt: string }>;
}

export function createDeepSearch(deps: DeepSearchDeps): DeepSearch {
  const mode = deps.mode ?? 'search';
  const maxTokens = deps.decisionMaxTokens ?? 256;
  const concurrency = Math.max(1, deps.concurrency ?? 2);

  async function* run(
    question: string,
    signal?: AbortSignal,
  ): AsyncGenerator<AnswerEvent, { sources: Source[]; systemPrompt: string }> {
    const budgets = resolveResearchBudgets(deps.budgets);
    const started = performance.now();
    const wall = new AbortController();
    const timer = setTimeout(() => wall.abort(), budgets.wallMs);
    const linked = linkedSignal(signal, wall.signal);
    const collected = new CollectedSources();
    const searched: string[] = [];
    const failures: string[] = [];
    let tokensUsed = 0;
    let plan: string[] = [];
    /** What the latest readable analysis said the sources establish, with [n] citations. */
    let known = '';
    let doing = 'planning';

    const step = (value: ResearchStep): AnswerEvent => {
      deps.onStep?.(value);
      return { type: 'step', step: value };
    };
    const stop = (text: string): AnswerEvent => step({ kind: 'stopped', text });

    try {
      const planned = await askJson(deps.engine, {
        mode,
        ...asMessages(planPrompt(question, budgets.subQuestionsPerRound)),
        schema: planSchema(budgets.subQuestionsPerRound),
        maxTokens,
        signal: linked.signal,
      });
      tokensUsed += planned.tokens;
      const allowedForPlan = allowedWords(question);
      const proposed = planned.ok ? (stringList(planned.value, 'subQuestions') ?? []) : [];
      // Sub-questions come from the question alone; the same gate keeps them short and clean.
      plan = proposed
        .map((query) => safeQuery(query, question, allowedWordsWith(allowedForPlan, query)))
        .filter((query): query is string => query !== undefined);
      let queries = newQueries(plan, [], budgets.subQuestionsPerRound);
      if (queries.length === 0) {
        const why = planned.ok ? 'it had no usable sub-question' : planned.reason;
        failures.push(`the plan could not be read: ${why}`);
        yield {
          type: 'notice',
          text: `The plan could not be read (${why}); searching for the question itself.`,
        };
        queries = [question.replace(/\s+/g, ' ').trim().slice(0, 300)];
      }
      yield step({
        kind: 'plan',
        round: 1,
        count: queries.length,
        ms: planned.ms,
        text: `Plan: ${queries.map((query) => `“${query}”`).join(', ')}`,
      });

      for (let round = 1; ; round++) {
        doing = `searching in round ${round}`;
        const outcomes = await searchRound(deps.search, queries, linked.signal, concurrency);
        searched.push(...queries);
        const failed = outcomes.filter((outcome) => outcome.failure);
        for (const outcome of outcomes) {
          yield* outcome.events;
          const added = collected.add(
            outcome.sources,
            outcome.passages,
            budgets.pages - collected.size,
          );
          yield step(searchStep(outcome, round, added));
        }
        if (failed.length > 0) {
          const why = failed[0]?.failure ?? 'unknown error';
          failures.push(`search failed in round ${round}: ${why}`);
          if (failed.length === outcomes.length) {
            yield {
              type: 'notice',
              text:
                round === 1
                  ? `Search failed (${why}); answering without sources.`
                  : `Search failed in round ${round} (${why}); the answer uses what earlier rounds found.`,
            };
            break;
          }
        }
        if (round >= budgets.rounds) {
          yield stop(`Stopped after ${round} round${round === 1 ? '' : 's'} (the round budget).`);
          break;
        }
        if (collected.size >= budgets.pages) {
          yield stop(`Stopped at ${collected.size} sources (the page budget).`);
          break;
        }
        if (tokensUsed >= budgets.tokens) {
          yield stop(`Stopped after ${tokensUsed} model tokens (the token budget).`);
          break;
        }

        doing = `analysing round ${round}`;
        const analysed = await askJson(deps.engine, {
          mode,
          ...asMessages(
            analysisPrompt(question, searched, collected, budgets.subQuestionsPerRound, known),
          ),
          schema: analysisSchema(budgets.subQuestionsPerRound),
          maxTokens: maxTokens * 2,
          signal: linked.signal,
        });
        tokensUsed += analysed.tokens;
        const enough =
          analysed.ok &&
          typeof analysed.value === 'object' &&
          analysed.value !== null &&
          (analysed.value as { enough?: unknown }).enough === true;
        const followUps = analysed.ok ? (stringList(analysed.value, 'followUps') ?? []) : [];
        if (!analysed.ok) {
          failures.push(`the analysis of round ${round} could not be read: ${analysed.reason}`);
          yield {
            type: 'notice',
            text: `The analysis of round ${round} could not be read (${analysed.reason}); concluding with what was found.`,
          };
          break;
        }
        known = knownText(analysed.value, collected.size) || known;
        // Follow-ups may only use words of the question, the plan and the fenced passages.
        const allowed = allowedWords(question, plan.join(' '), collected.allText());
        const safe = followUps
          .map((query) => safeQuery(query, question, allowed))
          .filter((query): query is string => query !== undefined);
        queries = enough ? [] : newQueries(safe, searched, budgets.subQuestionsPerRound);
        yield step({
          kind: 'analysis',
          round,
          count: queries.length,
          ms: analysed.ms,
          ...(known ? { known } : {}),
          text: enough
            ? `Round ${round}: the sources are enough to answer.`
            : queries.length > 0
              ? `Round ${round}: still missing, searching ${queries.map((query) => `“${query}”`).join(', ')}`
              : `Round ${round}: nothing new left to search.`,
        });
        if (queries.length === 0) break;
        if (tokensUsed >= budgets.tokens) {
          yield stop(`Stopped after ${tokensUsed} model tokens (the token budget).`);
          break;
        }
      }
    } catch (error) {
      if (signal?.aborted || (toAppError(error).code === 'cancelled' && !wall.signal.aborted)) {
        throw new PonderError('cancelled', 'Cancelled.');
      }
      if (wall.signal.aborted) {
        yield stop(
          `Stopped while ${doing}: the time budget of ${Math.round(budgets.wallMs / 1000)} s ran out.`,
        );
      } else {
        const message = toAppError(error).message;
        failures.push(`${doing} failed: ${message}`);
        yield {
          type: 'notice',
          text: `Deep Search stopped while ${doing} (${message}); concluding with what was found.`,
        };
      }
    } finally {
      clearTimeout(timer);
      linked.dispose();
    }

    const sources = collected.sources();
    yield step({
      kind: 'conclusion',
      count: sources.length,
      ms: Math.round(performance.now() - started),
      text: `Concluding from ${sources.length} source${sources.length === 1 ? '' : 's'} after ${searched.length} search${searched.length === 1 ? '' : 'es'}.`,
    });
    yield { type: 'sources', sources };
    return { sources, systemPrompt: conclusionPrompt(question, collected, failures, known) };
  }

  return { run };
}

function asMessages(prompt: { system: string; user: string }): {
  systemPrompt: string;
  prompt: string;
} {
  return { systemPrompt: prompt.system, prompt: prompt.user };
}

/** A plan's own words are allowed in its sub-question, minus addresses and operators. */
function allowedWordsWith(base: Set<string>, query: string): Set<string> {
  return new Set([...base, ...allowedWords(query)]);
}
