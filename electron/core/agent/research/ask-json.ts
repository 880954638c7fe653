import type { Mode } from '../../../shared';
import { PonderError } from '../../errors';
import type { Engine } from '../../llm/engine-types';

export interface JsonRequest {
  mode: Mode;
  systemPrompt: string;
  prompt: string;
  /** The JSON schema the reply is constrained to by the grammar. */
  schema: Readonly<Record<string, unknown>>;
  maxTokens: number;
  signal?: AbortSignal;
}

export type JsonReply =
  | { ok: true; value: unknown; tokens: number; ms: number }
  | { ok: false; reason: string; tokens: number; ms: number };

/**
 * One grammar-constrained decision by the model. The grammar makes the reply parseable unless it
 * is cut off (max tokens) or the model fails; those come back as `ok: false` with a reason, so the
 * caller can carry on with what it has. A cancel throws `cancelled`.
 */
export async function askJson(engine: Engine, request: JsonRequest): Promise<JsonReply> {
  const started = performance.now();
  let text = '';
  let tokens = 0;
  const ms = () => Math.round(performance.now() - started);
  for await (const event of engine.generate({
    mode: request.mode,
    systemPrompt: request.systemPrompt,
    messages: [{ role: 'user', text: request.prompt }],
    jsonSchema: request.schema,
    temperature: 0,
    maxTokens: request.maxTokens,
    ...(request.signal ? { signal: request.signal } : {}),
  })) {
    if (event.type === 'text' || event.type === 'solution' || event.type === 'reasoning') {
      text += event.text;
    } else if (event.type === 'error') {
      if (event.error.code === 'cancelled') throw new PonderError('cancelled', 'Cancelled.');
      return { ok: false, reason: event.error.message, tokens, ms: ms() };
    } else if (event.type === 'done') {
      tokens = event.stats.promptTokens + event.stats.completionTokens;
      if (event.stats.stopReason === 'cancelled') throw new PonderError('cancelled', 'Cancelled.');
      if (event.stats.stopReason === 'max-tokens') {
        return {
          ok: false,
          reason: `the reply was cut off after ${event.stats.completionTokens} tokens`,
          tokens,
          ms: ms(),
        };
      }
    }
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown, tokens, ms: ms() };
  } catch {
    return { ok: false, reason: 'the reply was not valid JSON', tokens, ms: ms() };
  }
}
