import type {
  AnswerEvent,
  AppError,
  GenerationStats,
  MessageStatus,
  Mode,
  ResearchStep,
  Source,
  StoredMessage,
} from '../../../../electron/shared';
import { ROUTE_RUNS } from '../research/answer-choice';
import { stepsFromReasoning } from '../research/saved-steps';

/** A message as the chat view shows it, live or loaded from history. */
export interface UiMessage {
  id: string;
  role: 'user' | 'assistant';
  mode: Mode;
  /** The question, or what the model wrote outside the reasoning/solution tags. */
  text: string;
  reasoning: string;
  solution: string;
  sources: Source[];
  status: MessageStatus;
  stats?: Partial<GenerationStats>;
  error?: AppError;
  notices: string[];
  /** Milliseconds since the epoch. */
  created: number;
  /** The person's thumbs up (1) or down (-1). */
  rating?: 1 | -1;
  /** For a regenerated answer: the id of its first version. */
  versionOf?: string;
  /** Another version of this answer is the one shown. */
  superseded?: boolean;
  /** The question this answer was asked for in this window, and whether the server kept it. */
  asked?: { text: string; saved: boolean };
  /** 0..1 while the model loads before this answer; absent once it is loaded. */
  modelLoading?: number;
  /** The Search pipeline's progress, one line. */
  progress?: string;
  thinkingStartedAt?: number;
  /** How long the model thought; set when the solution starts or the answer ends. */
  thinkingMs?: number;
  /** Reasoning pieces streamed; about one per token. */
  reasoningTokens: number;
  /** Deep Search's timeline and Auto's choice, live (history keeps them as lines of the reasoning). */
  steps?: ResearchStep[];
}

export function fromStored(message: StoredMessage): UiMessage {
  const { steps, reasoning } = stepsFromReasoning(message.reasoning);
  return {
    id: message.id,
    role: message.role === 'user' ? 'user' : 'assistant',
    mode: message.mode,
    text: message.text,
    reasoning,
    solution: message.solution,
    sources: message.sources,
    status: message.status,
    ...(steps.length > 0 ? { steps } : {}),
    ...(message.stats ? { stats: message.stats } : {}),
    ...(message.error ? { error: message.error } : {}),
    notices: [],
    reasoningTokens: 0,
    created: message.created,
    ...(message.rating ? { rating: message.rating } : {}),
    ...(message.versionOf ? { versionOf: message.versionOf } : {}),
    ...(message.superseded ? { superseded: true } : {}),
  };
}

export function newAssistantMessage(mode: Mode): UiMessage {
  return {
    id: `pending-${Date.now()}`,
    role: 'assistant',
    mode,
    text: '',
    reasoning: '',
    solution: '',
    sources: [],
    status: 'streaming',
    notices: [],
    reasoningTokens: 0,
    created: Date.now(),
  };
}

/** Deep Search ranks once per query: the same notice from each search is shown once. */
function addNotice(message: UiMessage, text: string): void {
  if (!message.notices.includes(text)) message.notices.push(text);
}

/** Applies one streamed event to the message (which is a $state proxy, so the view follows). */
export function applyEvent(message: UiMessage, event: AnswerEvent, now = Date.now()): void {
  const stopThinking = (): void => {
    if (message.thinkingStartedAt !== undefined && message.thinkingMs === undefined) {
      message.thinkingMs = now - message.thinkingStartedAt;
    }
  };
  // Anything after loading means the model is ready.
  if (event.type !== 'model-loading') message.modelLoading = undefined;
  switch (event.type) {
    case 'search-started':
      message.progress = `Searching ${event.provider} for “${event.query}”…`;
      break;
    case 'search-results':
      message.progress = `Found ${event.count} results on ${event.provider} in ${event.ms} ms; reading and ranking…`;
      break;
    case 'ranked':
      message.progress = `Ranked by ${event.method === 'bm25' ? 'keywords' : 'meaning and keywords'} in ${event.ms} ms.`;
      // A fallback stays with the answer: its sources were picked by keywords only.
      if (event.note) addNotice(message, event.note);
      break;
    case 'sources':
      message.sources = event.sources;
      break;
    case 'notice':
      addNotice(message, event.text);
      break;
    case 'step':
      // Push through the property, not the fresh array: on a $state proxy only the former is seen.
      message.steps ??= [];
      message.steps.push(event.step);
      // Auto's choice decides the mode the answer is shown (and linked) in.
      if (event.step.kind === 'route' && event.step.choice) {
        message.mode = ROUTE_RUNS[event.step.choice].mode;
      }
      message.progress = event.step.text;
      break;
    case 'reasoning':
      message.thinkingStartedAt ??= now;
      message.reasoning += event.text;
      message.reasoningTokens += 1;
      break;
    case 'solution':
      stopThinking();
      message.solution += event.text;
      break;
    case 'text':
      message.text += event.text;
      break;
    case 'done':
      stopThinking();
      message.stats = event.stats;
      message.status = event.stats.stopReason === 'cancelled' ? 'cancelled' : 'complete';
      message.progress = undefined;
      break;
    case 'error':
      stopThinking();
      message.progress = undefined;
      if (event.error.code === 'cancelled') {
        message.status = 'cancelled';
      } else {
        message.status = 'error';
        message.error = event.error;
      }
      break;
    case 'model-loading':
      message.modelLoading = event.progress >= 1 ? undefined : Math.max(0, event.progress);
      break;
    case 'conversation':
      break;
  }
}
