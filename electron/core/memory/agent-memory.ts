import type { ConversationMemory, TurnHandle } from '../agent/ports';
import { PonderError } from '../errors';
import type { MemoryStore } from './memory-store';
import type { StreamingWriterOptions } from './streaming-message-writer';

/**
 * The orchestrator's view of the store: each turn records the question at once (before the model
 * loads, so a question that fails to load is kept with its error), then saves the answer as it
 * streams (batched every `flushIntervalMs`) and closes it with its final status.
 */
export function createAgentMemory(
  store: MemoryStore,
  options: StreamingWriterOptions = {},
): ConversationMemory {
  return {
    async startTurn(input) {
      const conversationId =
        input.conversationId === undefined || input.conversationId === 'new'
          ? store.createConversation().id
          : requireConversation(store, input.conversationId);

      let question: string;
      let questionId: string;
      let previousAnswerId: string | undefined;
      if (input.regenerate) {
        let emptyFailure: boolean;
        ({ question, questionId, previousAnswerId, emptyFailure } = questionToAnswerAgain(
          store,
          conversationId,
        ));
        // Retrying a question whose model could not load: the failure had nothing in it, so the
        // new answer takes its place instead of keeping it as an earlier version.
        if (previousAnswerId && emptyFailure) {
          store.deleteMessage(previousAnswerId);
          previousAnswerId = undefined;
        }
        // Edit and resend: the question is asked again in its new wording.
        const edited = input.question.trim();
        if (edited && edited !== question) {
          store.editQuestion(questionId, edited);
          question = edited;
        }
      } else {
        question = input.question;
        questionId = store.addMessage({
          conversationId,
          role: 'user',
          text: question,
          mode: input.mode,
        }).id;
      }

      const writer = store.startStreamingMessage(
        {
          conversationId,
          mode: input.mode,
          ...(input.adapter === undefined ? {} : { adapter: input.adapter }),
          ...(input.model === undefined ? {} : { model: input.model }),
        },
        options,
      );
      // The earlier answer stays as an earlier version; the new one is shown and fed back.
      if (previousAnswerId) store.addAnswerVersion(previousAnswerId, writer.messageId);
      const handle: TurnHandle = {
        conversationId,
        assistantMessageId: writer.messageId,
        question,
        history: (window) =>
          store.recentTurns(conversationId, { ...window, beforeMessageId: questionId }),
        describe(answer) {
          writer.describe(answer);
          // Auto answers in the mode it chose; a new question is listed and reopened in that mode.
          if (!input.regenerate && answer.mode !== input.mode) {
            store.setQuestionMode(questionId, answer.mode);
          }
        },
        append: (part) => writer.append(part),
        setSources: (sources) => writer.setSources(sources),
        async finish(outcome) {
          const final = {
            status: outcome.status === 'streaming' ? ('interrupted' as const) : outcome.status,
            ...(outcome.stats ? { stats: outcome.stats } : {}),
            ...(outcome.error ? { error: outcome.error } : {}),
            ...(outcome.final ? { final: outcome.final } : {}),
          };
          // The whole answer is still in memory: wait out a busy database without blocking the
          // thread, rather than lose the end of the answer.
          for (let attempt = 0; !writer.finished; attempt += 1) {
            try {
              writer.finish(final);
            } catch (error) {
              if (!(error instanceof PonderError && error.code === 'db-busy') || attempt >= 4) {
                throw error;
              }
              await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
            }
          }
        },
      };
      return handle;
    },
  };
}

function requireConversation(store: MemoryStore, id: string): string {
  if (!store.getConversation(id)) {
    throw new PonderError('not-found', `No conversation with id ${id}.`, {
      hint: 'Use --conversation new, or list conversations with `ponder history list`.',
    });
  }
  return id;
}

/**
 * Regenerating answers the last question again; its shown answer becomes an earlier version
 * (see message-versions.ts), so nothing the person saw is lost. A failure with nothing written is
 * the exception: it is replaced.
 */
function questionToAnswerAgain(
  store: MemoryStore,
  conversationId: string,
): {
  question: string;
  questionId: string;
  previousAnswerId: string | undefined;
  /** The shown answer failed with nothing written, and has no other versions. */
  emptyFailure: boolean;
} {
  const messages = store.listMessages(conversationId);
  const lastQuestionIndex = messages.findLastIndex((message) => message.role === 'user');
  const lastQuestion = messages[lastQuestionIndex];
  if (!lastQuestion) {
    throw new PonderError('invalid-input', 'This conversation has no question to answer again.', {
      hint: 'Ask a question first.',
    });
  }
  const shown = messages
    .slice(lastQuestionIndex + 1)
    .find((message) => message.role === 'assistant' && !message.superseded);
  const emptyFailure =
    shown !== undefined &&
    shown.status === 'error' &&
    !shown.text &&
    !shown.solution &&
    !shown.reasoning &&
    shown.versionOf === undefined &&
    !messages.some((message) => message.versionOf === shown.id);
  return {
    question: lastQuestion.text,
    questionId: lastQuestion.id,
    previousAnswerId: shown?.id,
    emptyFailure,
  };
}
