import { LlamaText, SpecialToken } from 'node-llama-cpp';
import type { ChatHistoryItem, ChatWrapper, LlamaModel, Token } from 'node-llama-cpp';
import type { ChatMessage } from '../../shared';
import { PonderError } from '../errors';

/** Tokens to evaluate and what ends the reply. */
export interface BuiltPrompt {
  tokens: Token[];
  /** Single tokens that end the reply besides end-of-generation ones (e.g. `<|im_end|>`). */
  stopTokens: Set<Token>;
  /** Plain texts that end the reply when the model spells them out instead of the token. */
  stopTexts: string[];
  /** Messages left out, oldest first, to fit the context. */
  droppedMessages: number;
}

export interface PromptInput {
  model: LlamaModel;
  /** The model's own chat template, or null for a model without one (plain continuation). */
  chatWrapper: ChatWrapper | null;
  systemPrompt: string;
  messages: ChatMessage[];
  /** The prompt must leave at least this many tokens of the context for the reply. */
  maxPromptTokens: number;
}

function toHistory(systemPrompt: string, messages: ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [{ type: 'system', text: systemPrompt }];
  for (const message of messages) {
    if (message.role === 'system') history.push({ type: 'system', text: message.text });
    else if (message.role === 'user') history.push({ type: 'user', text: message.text });
    else history.push({ type: 'model', response: [message.text] });
  }
  // The template opens the reply only after a trailing empty model turn.
  history.push({ type: 'model', response: [] });
  return history;
}

function render(input: PromptInput, messages: ChatMessage[]): Omit<BuiltPrompt, 'droppedMessages'> {
  const { model, chatWrapper } = input;
  if (!chatWrapper) {
    // A model without a chat template only continues text: it gets the conversation as written.
    const text = LlamaText([new SpecialToken('BOS'), messages.map((m) => m.text).join('\n\n')]);
    return { tokens: text.tokenize(model.tokenizer), stopTokens: new Set(), stopTexts: [] };
  }
  const state = chatWrapper.generateContextState({
    chatHistory: toHistory(input.systemPrompt, messages),
  });
  const stopTokens = new Set<Token>();
  const stopTexts: string[] = [];
  for (const trigger of state.stopGenerationTriggers) {
    const plain = trigger.values.every((value) => typeof value === 'string');
    if (plain) {
      const text = trigger.toString();
      if (text !== '') stopTexts.push(text);
      continue;
    }
    const tokens = trigger.tokenize(model.tokenizer);
    if (tokens.length === 1 && tokens[0] !== undefined) stopTokens.add(tokens[0]);
  }
  return { tokens: state.contextText.tokenize(model.tokenizer), stopTokens, stopTexts };
}

/**
 * Renders the conversation through the model's chat template. When it does not fit, the oldest
 * turns go first; the system prompt and the newest message always stay, and a newest message
 * that cannot fit on its own is refused rather than cut.
 */
export function buildPrompt(input: PromptInput): BuiltPrompt {
  const last = input.messages[input.messages.length - 1];
  if (!last || last.role !== 'user') {
    throw new PonderError('invalid-input', 'The conversation must end with a question.', {
      hint: 'Send a user message last.',
    });
  }
  for (let dropped = 0; dropped < input.messages.length; dropped++) {
    const rendered = render(input, input.messages.slice(dropped));
    if (rendered.tokens.length <= input.maxPromptTokens) {
      return { ...rendered, droppedMessages: dropped };
    }
  }
  const size = render(input, [last]).tokens.length;
  throw new PonderError(
    'invalid-input',
    `The question takes ${size.toLocaleString('en')} tokens; at most ${input.maxPromptTokens.toLocaleString('en')} fit with room for the answer.`,
    { hint: 'Shorten the question, or raise the context size (--context-size).' },
  );
}
