import type {
  AnswerEvent,
  AppError,
  ChatMessage,
  GenerationStats,
  Mode,
  ResearchStep,
  RouteChoice,
  SearchDepth,
  Source,
} from '../../shared';
import { MODE_ADAPTER } from '../../shared';
import { PonderError, toAppError } from '../errors';
import type { Engine, GenerateRequest } from '../llm/engine-types';
import { cleanAnswer } from './clean-answer';
import { deepSearchPort } from './research/deep-search-port';
import type { ResearchBudgets } from './research/research-budgets';
import { budgetsOf, type ResearchSettings } from './research/research-settings';
import { savedStepLines } from './research/saved-step-lines';
import { withSelfSearch } from './research/self-search-engine';
import { chooseRoute } from './route/route-question';
import type { AnswerText } from './clean-answer';
import { loadEngineWithProgress } from './load-engine-with-progress';
import type { ConversationMemory, EngineLoader, SearchPort, TurnHandle } from './ports';
import { composeSystemPrompt } from './compose-system-prompt';

/** Longest question accepted; longer input is refused with a clear error instead of being truncated. */
export const MAX_QUESTION_CHARS = 32_000;

export interface AgentRequest {
  mode: Mode;
  text: string;
  conversationId?: string;
  regenerate?: boolean;
  /**
   * The conversation so far, given by the caller (the OpenAI-compatible API). When set, memory is
   * not used: nothing is loaded or saved. System messages in it are added after the mode's system
   * prompt (which carries the reasoning format and the sources), unless `replaceSystemPrompt`.
   */
  history?: ChatMessage[];
  /**
   * The caller's system messages replace the mode's system prompt instead of being added to it. In
   * Search with sources the sources stay, since the answer cites them.
   */
  replaceSystemPrompt?: boolean;
  temperature?: number;
  seed?: number;
  maxTokens?: number;
  /** Texts that end the answer where the model writes them. */
  stop?: string[];
  signal?: AbortSignal;
  /** Search's depth: `quick` (one search) or `deep` (plan, search, analyse, repeat). @default 'quick' */
  depth?: SearchDepth;
  /** Auto: choose the mode (and depth) from the question; `mode` is then only the fallback. */
  auto?: boolean;
  /** Budgets of a Deep Search for this request, over those of the settings. */
  research?: Partial<ResearchBudgets>;
  /** Auto: how the conversation's previous answer was given, so a follow-up keeps that mode. */
  previousRoute?: RouteChoice;
  /** Search at the quick depth lets the model run the searches it writes; over the setting. */
  selfSearch?: boolean;
}

export interface AgentDeps {
  /** Loads (or returns the already loaded) engine; throws PonderError when no model can be loaded. */
  engine: EngineLoader;
  memory?: ConversationMemory;
  search?: SearchPort;
  /** Earlier turns fed back to the model. @default 10 */
  historyTurns?: number;
  /** Share of the context the history may take; the rest is for the question and the answer. @default 0.5 */
  historyShare?: number;
  /** Deep Search's budgets and the self-search switch, as the settings give them. */
  research?: ResearchSettings;
}

export interface Agent {
  /** One answer as the single event stream every front end shows; never throws. */
  ask(request: AgentRequest): AsyncGenerator<AnswerEvent>;
}

/**
 * Routes a request to its mode: loads history, runs Search when asked, streams the engine's answer
 * and saves it as it grows. Everything that goes wrong becomes an `error` event.
 */
export function createAgent(deps: AgentDeps): Agent {
  return {
    async *ask(input) {
      let request = input;
      let turn: TurnHandle | undefined;
      try {
        const question = validateQuestion(request);
        const memory = request.history ? undefined : deps.memory;
        let asked = question;
        // The question is kept before the model loads: one that cannot be answered (no model, a
        // missing file) stays in the conversation with its error, ready to be asked again.
        if (memory) {
          turn = await memory.startTurn({
            ...(request.conversationId ? { conversationId: request.conversationId } : {}),
            mode: request.mode,
            question,
            regenerate: request.regenerate ?? false,
          });
          asked = turn.question;
          yield { type: 'conversation', id: turn.conversationId };
        }
        const engine = yield* loadEngineWithProgress(deps.engine);
        let routeStep: ResearchStep | undefined;
        if (request.auto) {
          const { step, ...routed } = yield* chooseRoute(engine, asked, {
            ...(request.signal ? { signal: request.signal } : {}),
            ...(request.previousRoute ? { previous: request.previousRoute } : {}),
          });
          request = { ...request, ...routed };
          routeStep = step;
        }
        const info = engine.info();
        const adapter = info.adapters[MODE_ADAPTER[request.mode]]
          ? MODE_ADAPTER[request.mode]
          : 'base';
        let history: ChatMessage[] = [];
        if (request.history) history = request.history.filter((turn) => turn.role !== 'system');
        if (turn) {
          turn.describe({ mode: request.mode, adapter, model: info.modelPath });
          // Saved like Deep Search's steps, so a reopened answer still says what Auto chose.
          if (routeStep) turn.append({ reasoning: savedStepLines(routeStep) });
          history = await turn.history({
            maxTurns: deps.historyTurns ?? 10,
            maxTokens: Math.floor(info.contextSize * (deps.historyShare ?? 0.5)),
            countTokens: (text) => engine.countTokens(text),
          });
        }

        const callerSystem = request.history
          ?.filter((turn) => turn.role === 'system')
          .map((turn) => turn.text)
          .join('\n\n');
        let groundedPrompt: string | undefined;
        let sources: Source[] = [];
        let answering = engine;
        const selfSearch =
          request.mode === 'search' &&
          request.depth !== 'deep' &&
          deps.search !== undefined &&
          (request.selfSearch ?? deps.research?.selfSearch ?? false);
        if (selfSearch && deps.search) {
          // The model writes its own searches; each runs through Search and is saved as a step.
          answering = withSelfSearch(engine, deps.search, {
            ...(deps.research
              ? {
                  tags: deps.research.selfSearchTags,
                  maxSearches: deps.research.selfSearchMax,
                  pages: deps.research.pages,
                }
              : {}),
            onSources: (found) => {
              sources = found;
              turn?.setSources(found);
            },
          });
        } else if (request.mode === 'search') {
          const search =
            request.depth === 'deep'
              ? deepSearchPort(
                  deps.search,
                  engine,
                  { ...budgetsOf(deps.research), ...request.research },
                  turn,
                )
              : deps.search;
          const grounded = yield* runSearch(search, asked, request.signal);
          groundedPrompt = grounded?.systemPrompt;
          sources = grounded?.sources ?? [];
          if (sources.length > 0) turn?.setSources(sources);
        }
        const systemPrompt = composeSystemPrompt({
          mode: request.mode,
          ...(groundedPrompt === undefined ? {} : { groundedPrompt }),
          ...(callerSystem ? { callerSystem } : {}),
          replace: request.replaceSystemPrompt === true,
        });

        const outcome = yield* streamAnswer(answering, turn, {
          mode: request.mode,
          messages: [...history, { role: 'user', text: asked }],
          ...(systemPrompt ? { systemPrompt } : {}),
          ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
          ...(request.seed === undefined ? {} : { seed: request.seed }),
          ...(request.maxTokens === undefined ? {} : { maxTokens: request.maxTokens }),
          ...(request.stop?.length ? { stop: request.stop } : {}),
          ...(request.signal ? { signal: request.signal } : {}),
        });
        const cleaned = cleanAnswer(deps.search, outcome.answer, sources);
        if (cleaned) {
          yield {
            type: 'notice',
            text: 'Links in the answer that were not among its sources were removed from the saved copy.',
          };
        }
        const { answer: _answer, ...finish } = outcome;
        await turn?.finish({ ...finish, ...(cleaned ? { final: cleaned } : {}) });
      } catch (error) {
        const appError = toAppError(error);
        // Saving the failure must not hide it: the person still gets the original error.
        await turn
          ?.finish({
            status: appError.code === 'cancelled' ? 'cancelled' : 'error',
            error: appError,
          })
          .catch(() => undefined);
        yield { type: 'error', error: appError };
      }
    },
  };
}

function validateQuestion(request: AgentRequest): string {
  const question = request.text.trim();
  if (!question && !request.regenerate) {
    throw new PonderError('invalid-input', 'The question is empty.', {
      hint: 'Type a question first.',
    });
  }
  if (question.length > MAX_QUESTION_CHARS) {
    throw new PonderError(
      'invalid-input',
      `The question is ${question.length.toLocaleString('en')} characters; the limit is ${MAX_QUESTION_CHARS.toLocaleString('en')}.`,
      { hint: 'Shorten it or split it into several questions.' },
    );
  }
  return question;
}

/** Search problems never cost the user an answer: the model answers without sources and says why. */
async function* runSearch(
  search: Pick<SearchPort, 'run'> | undefined,
  query: string,
  signal: AbortSignal | undefined,
): AsyncGenerator<AnswerEvent, { sources: Source[]; systemPrompt: string } | undefined> {
  if (!search) {
    yield { type: 'notice', text: 'Search is not set up, so this answer has no sources.' };
    return undefined;
  }
  try {
    return yield* search.run(query, signal);
  } catch (error) {
    const appError = toAppError(error);
    if (appError.code === 'cancelled') throw error;
    yield {
      type: 'notice',
      text: `Search failed (${appError.message}); answering without sources.`,
    };
    return undefined;
  }
}

interface StreamOutcome {
  status: 'complete' | 'cancelled' | 'error';
  stats?: GenerationStats;
  error?: AppError;
  /** What was streamed outside the hidden reasoning. */
  answer: AnswerText;
}

async function* streamAnswer(
  engine: Engine,
  turn: TurnHandle | undefined,
  request: GenerateRequest,
): AsyncGenerator<AnswerEvent, StreamOutcome> {
  const answer: AnswerText = { solution: '', text: '' };
  for await (const event of engine.generate(request)) {
    yield event;
    switch (event.type) {
      case 'solution':
      case 'text':
        answer[event.type] += event.text;
        turn?.append({ [event.type]: event.text });
        break;
      case 'reasoning':
        turn?.append({ reasoning: event.text });
        break;
      case 'step':
        // A model that searches by itself: each of its searches is saved like Deep Search's.
        turn?.append({ reasoning: savedStepLines(event.step) });
        break;
      case 'done':
        return {
          status: event.stats.stopReason === 'cancelled' ? 'cancelled' : 'complete',
          stats: event.stats,
          answer,
        };
      case 'error':
        return {
          status: event.error.code === 'cancelled' ? 'cancelled' : 'error',
          error: event.error,
          answer,
        };
    }
  }
  return {
    status: 'error',
    error: { code: 'internal', message: 'The answer ended without finishing.' },
    answer,
  };
}
