import type { ChatMessage, Mode } from '../../../shared';
import type { RemoteModeTarget } from './remote-engine-options';

export interface ChatRequestInput {
  mode: Mode;
  target: RemoteModeTarget | undefined;
  defaultModel: string | undefined;
  systemPrompt: string;
  messages: ChatMessage[];
  temperature: number;
  seed?: number;
  maxTokens: number;
}

/** The body of POST /v1/chat/completions, as vLLM and llama-server both read it. */
export interface ChatCompletionBody {
  model?: string;
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[];
  stream: true;
  stream_options: { include_usage: true };
  temperature: number;
  max_tokens: number;
  top_k?: number;
  top_p?: number;
  seed?: number;
  lora?: { id: number; scale: number }[];
}

/**
 * Builds the request a mode sends. The sampling matches the local engine's (top-k 40, top-p 0.95
 * when sampling; greedy at temperature 0), so the same question gets the same kind of answer
 * wherever the model runs.
 */
export function chatRequestBody(input: ChatRequestInput): ChatCompletionBody {
  const model = input.target?.model ?? input.defaultModel;
  const sampling =
    input.temperature > 0
      ? {
          temperature: input.temperature,
          top_k: 40,
          top_p: 0.95,
          ...(input.seed === undefined ? {} : { seed: input.seed }),
        }
      : { temperature: 0 };
  return {
    ...(model ? { model } : {}),
    messages: [
      { role: 'system', content: input.systemPrompt },
      ...input.messages.map((message) => ({ role: message.role, content: message.text })),
    ],
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: input.maxTokens,
    ...sampling,
    ...(input.target?.lora
      ? { lora: input.target.lora.map(({ id, scale }) => ({ id, scale })) }
      : {}),
  };
}
