import { PonderError } from '../../errors';
import { httpError, idleTimeoutError, unreachableError } from './remote-errors';

/** What a server offers: what "Test connection" lists and what the engine checks modes against. */
export interface RemoteEngineProbe {
  /** Model names from GET /v1/models (vLLM lists each LoRA adapter as a model). */
  models: string[];
  /** llama-server's adapters from GET /lora-adapters; null when the server has no such endpoint. */
  adapters: { id: number; path: string; scale: number }[] | null;
  /** Tokens of context, when the server tells (vLLM's max_model_len, llama-server's n_ctx). */
  contextSize?: number;
}

interface ProbeTarget {
  base: string;
  where: string;
  headers: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
}

async function getJson(
  target: ProbeTarget,
  path: string,
): Promise<{ status: number; body: string }> {
  const signals = [AbortSignal.timeout(target.timeoutMs), target.signal].filter(
    (signal): signal is AbortSignal => signal !== undefined,
  );
  try {
    const response = await fetch(`${target.base}${path}`, {
      headers: target.headers,
      signal: AbortSignal.any(signals),
      redirect: 'error',
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    if (target.signal?.aborted) throw error;
    if ((error as Error).name === 'TimeoutError')
      throw idleTimeoutError(target.where, target.timeoutMs, false);
    throw unreachableError(target.where, error);
  }
}

function parse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** Lists the server's models and adapters; rejects with one clear error when it cannot. */
export async function probeRemoteEngine(target: ProbeTarget): Promise<RemoteEngineProbe> {
  const models = await getJson(target, '/v1/models');
  if (models.status !== 200) {
    throw httpError(target.where, models.status, models.body, { mode: 'any' });
  }
  const list = parse(models.body) as
    | { data?: { id?: unknown; max_model_len?: unknown; meta?: { n_ctx_train?: unknown } }[] }
    | undefined;
  if (!Array.isArray(list?.data)) {
    throw new PonderError(
      'model-crashed',
      `The engine at ${target.where} is not an OpenAI-compatible server (GET /v1/models has no model list).`,
      { hint: 'Point Ponder at vLLM, llama-server or another /v1/chat/completions server.' },
    );
  }
  const probe: RemoteEngineProbe = {
    models: list.data.map((model) => model.id).filter((id): id is string => typeof id === 'string'),
    adapters: null,
  };
  const maxLen = list.data.find((model) => typeof model.max_model_len === 'number')?.max_model_len;
  if (typeof maxLen === 'number') probe.contextSize = maxLen;

  const adapters = await getJson(target, '/lora-adapters').catch(() => undefined);
  const adapterList = adapters?.status === 200 ? parse(adapters.body) : undefined;
  if (Array.isArray(adapterList)) {
    probe.adapters = (adapterList as { id?: unknown; path?: unknown; scale?: unknown }[])
      .filter((adapter) => typeof adapter.id === 'number')
      .map((adapter) => ({
        id: adapter.id as number,
        path: typeof adapter.path === 'string' ? adapter.path : '',
        scale: typeof adapter.scale === 'number' ? adapter.scale : 0,
      }));
  }
  const props = await getJson(target, '/props').catch(() => undefined);
  const nCtx = (
    props?.status === 200
      ? (parse(props.body) as { default_generation_settings?: { n_ctx?: unknown } } | undefined)
      : undefined
  )?.default_generation_settings?.n_ctx;
  if (typeof nCtx === 'number') probe.contextSize = nCtx;
  return probe;
}
