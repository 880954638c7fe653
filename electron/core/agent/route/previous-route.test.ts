import { describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../../shared';
import type { AgentRequest } from '../agent';
import { previousRouteOf, previousRouteOfConversation, withPreviousRoute } from './previous-route';

const answer = (
  mode: StoredMessage['mode'],
  reasoning = '',
  superseded = false,
): Pick<StoredMessage, 'role' | 'mode' | 'reasoning' | 'superseded'> => ({
  role: 'assistant',
  mode,
  reasoning,
  superseded,
});
const question = { role: 'user', mode: 'chat', reasoning: '' } as const;

describe('the previous answer’s route, read from a saved conversation', () => {
  it('is the last answer’s mode, and Deep Search when its timeline has a plan', () => {
    expect(previousRouteOf([question, answer('reasoning')])).toBe('reasoning');
    expect(previousRouteOf([question, answer('search', 'Thinking.')])).toBe('quick-search');
    expect(
      previousRouteOf([
        question,
        answer('chat'),
        question,
        answer(
          'search',
          '▸ Plan: “Who wrote Alpha?” [300 ms]\n▸ Concluding from 1 source after 1 search. [900 ms]\nThinking.',
        ),
      ]),
    ).toBe('deep-search');
  });

  it('skips an answer version that is not shown, and is undefined without an answer', () => {
    expect(previousRouteOf([question, answer('chat'), answer('reasoning', '', true)])).toBe('chat');
    expect(previousRouteOf([question])).toBeUndefined();
  });
});

describe('an Auto request that continues a saved conversation', () => {
  const stored = (messages: ReturnType<typeof answer | (() => typeof question)>[]) => ({
    get: (id: string) => {
      if (id !== 'c1') throw new Error(`No conversation with id ${id}.`);
      return { messages: messages as StoredMessage[] };
    },
  });
  const conversation = stored([question, answer('reasoning'), question, answer('chat')]);

  it('gets the previous route from the conversation unless it gives one', () => {
    const asked: AgentRequest = {
      mode: 'chat',
      text: 'and what about 7?',
      auto: true,
      conversationId: 'c1',
    };
    expect(withPreviousRoute(asked, conversation).previousRoute).toBe('chat');
    expect(
      withPreviousRoute({ ...asked, previousRoute: 'deep-search' as const }, conversation)
        .previousRoute,
    ).toBe('deep-search');
    expect(
      withPreviousRoute({ ...asked, auto: false }, conversation).previousRoute,
    ).toBeUndefined();
    expect(withPreviousRoute({ ...asked, conversationId: 'c9' }, conversation).previousRoute).toBe(
      undefined,
    );
  });

  it('asking the last question again looks at the answer before it', () => {
    expect(previousRouteOfConversation(conversation, 'c1', true)).toBe('reasoning');
  });
});
