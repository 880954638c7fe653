import type { Llama, LlamaContextSequence, Token } from 'node-llama-cpp';

/**
 * Ponder's native decode loop (native/decode-loop): present in bindings built by
 * `npm run native:cuda` or `npm run native:cpu`, absent from node-llama-cpp's prebuilt ones.
 */
interface AddonContextWithLoop {
  generateTokens(
    sequenceId: number,
    firstPosition: number,
    tokens: Uint32Array,
    sampler: unknown,
    maxTokens: number,
    stopTokens: Uint32Array,
    onToken: (token: number) => void,
    onDevice: boolean,
  ): Promise<{
    decoded: Uint32Array;
    generated: Uint32Array;
    stopReason: string;
    topKOnDevice?: boolean;
  }>;
  cancelGeneration(): void;
  releaseTopKOnDevice(): void;
}

/** The parts of node-llama-cpp 3.21.1's sequence the loop reads and keeps up to date. */
interface SequenceInternals {
  _sequenceId: number;
  _contextTokens: Token[];
  _nextTokenIndex: number;
  _loadedTokenPredictions: unknown[];
  _context: {
    _ctx: Partial<AddonContextWithLoop>;
    _backendContextDisposeGuard: { createPreventDisposalHandle(): { dispose(): void } };
  };
  _resolveSamplerConfig(options: SamplingOptions): Record<string, unknown>;
  model: {
    _llama: {
      gpu: string | false;
      _bindings: {
        AddonSampler: new (model: unknown) => {
          applyConfig(config: Record<string, unknown>): void;
          dispose(): void;
        };
      };
    };
    _model: unknown;
  };
}

export interface SamplingOptions {
  temperature: number;
  topK?: number;
  topP?: number;
  seed?: number;
}

/**
 * `PONDER_DECODE_LOOP=javascript` keeps node-llama-cpp's loop even where the native one exists:
 * the benchmark measures both in one run, and a person can rule the native loop out.
 */
function nativeLoopAllowed(): boolean {
  return process.env.PONDER_DECODE_LOOP !== 'javascript';
}

/**
 * Whether the loop picks the top-k on the device that computes the logits (llama.cpp's backend
 * sampling), so only k logits cross to the host per token instead of the vocabulary's 152k. On by
 * default on a GPU; `PONDER_TOP_K_ON_DEVICE=on|off` decides either way (the benchmark measures both,
 * and the tests run the device path on the CPU backend).
 */
export function topKOnDevice(gpu: string | false): boolean {
  const setting = process.env.PONDER_TOP_K_ON_DEVICE;
  if (setting === 'on') return true;
  if (setting === 'off') return false;
  return gpu !== false;
}

function internalsOf(sequence: LlamaContextSequence): SequenceInternals | undefined {
  if (!nativeLoopAllowed()) return undefined;
  const internals = sequence as unknown as Partial<SequenceInternals>;
  const ctx = internals._context?._ctx;
  if (
    typeof ctx?.generateTokens !== 'function' ||
    typeof ctx.cancelGeneration !== 'function' ||
    typeof internals._sequenceId !== 'number' ||
    !Array.isArray(internals._contextTokens) ||
    typeof internals._nextTokenIndex !== 'number' ||
    typeof internals._resolveSamplerConfig !== 'function' ||
    typeof internals._context?._backendContextDisposeGuard?.createPreventDisposalHandle !==
      'function' ||
    typeof internals.model?._llama?._bindings?.AddonSampler !== 'function'
  ) {
    return undefined;
  }
  return internals as SequenceInternals;
}

/** Where the native loop picked its top-k in the last answer on each context's sequence. */
const topKPlaces = new WeakMap<LlamaContextSequence, 'device' | 'host'>();

/** Where the native loop last picked this sequence's top-k; undefined before its first answer. */
export function topKPlace(sequence: LlamaContextSequence): 'device' | 'host' | undefined {
  return topKPlaces.get(sequence);
}

/**
 * Before node-llama-cpp samples on this sequence's context itself: the native loop leaves its
 * device top-k attached between answers, and while it is attached llama.cpp copies only the top-k
 * logits to the host, not the whole vocabulary's that node-llama-cpp's sampling reads.
 */
export function releaseTopKOnDevice(sequence: LlamaContextSequence): void {
  topKPlaces.delete(sequence);
  const ctx = (sequence as unknown as Partial<SequenceInternals>)._context?._ctx;
  if (typeof ctx?.releaseTopKOnDevice === 'function') ctx.releaseTopKOnDevice();
}

/** Whether a llama.cpp runtime's binding has the native decode loop. */
export function bindingHasDecodeLoop(llama: Llama): boolean {
  if (!nativeLoopAllowed()) return false;
  const bindings = (llama as unknown as { _bindings?: { AddonContext?: { prototype?: object } } })
    ._bindings;
  const prototype = bindings?.AddonContext?.prototype as Partial<AddonContextWithLoop> | undefined;
  return typeof prototype?.generateTokens === 'function';
}

/**
 * Generates with the native loop: `tail` (the prompt's last batch, evaluated here) is decoded and
 * then token after token is sampled and decoded without a JavaScript round trip, until a stop
 * token, `maxTokens`, the end of the context, or the generator's `return()`. The sampler is
 * node-llama-cpp's own with node-llama-cpp's resolved settings, so the tokens are those its
 * `evaluate()` gives. When the loop ends, the sequence records exactly the tokens decoded into its
 * KV cache (the last token sampled is not decoded, as with `evaluate()`), so the next request's
 * prefix reuse sees the truth. Yields each sampled token as soon as it is sampled; `return()`
 * stops the loop. Returns undefined when the binding has no native loop.
 */
export function generateNatively(
  sequence: LlamaContextSequence,
  tail: Token[],
  sampling: SamplingOptions,
  maxTokens: number,
  stopTokens: Iterable<Token>,
): AsyncGenerator<Token, void, undefined> | undefined {
  const internals = internalsOf(sequence);
  if (!internals || tail.length === 0 || internals._loadedTokenPredictions.length > 0) {
    return undefined;
  }
  const ctx = internals._context._ctx as AddonContextWithLoop;
  // The context is not freed under the loop (node-llama-cpp holds the same guard while it decodes);
  // this throws if it is already disposed.
  const preventDisposal =
    internals._context._backendContextDisposeGuard.createPreventDisposalHandle();
  const sampler = new internals.model._llama._bindings.AddonSampler(internals.model._model);
  sampler.applyConfig(internals._resolveSamplerConfig(sampling));

  const queue: Token[] = [];
  let wake: (() => void) | undefined;
  let seen = 0;
  let settled = false;
  const onToken = (token: number) => {
    // A call still queued when the loop's result arrived was taken from the result already.
    if (settled) return;
    seen += 1;
    queue.push(token as Token);
    wake?.();
  };
  let finished = false;
  let failure: unknown;
  const run = ctx
    .generateTokens(
      internals._sequenceId,
      internals._nextTokenIndex,
      Uint32Array.from(tail),
      sampler,
      maxTokens,
      Uint32Array.from(stopTokens),
      onToken,
      topKOnDevice(internals.model._llama.gpu),
    )
    .then(
      (result) => {
        // Tokens still queued for onToken when the loop ended come from its result.
        settled = true;
        for (const token of result.generated.slice(seen)) queue.push(token as Token);
        internals._contextTokens.push(...(Array.from(result.decoded) as Token[]));
        internals._nextTokenIndex += result.decoded.length;
        topKPlaces.set(sequence, result.topKOnDevice ? 'device' : 'host');
      },
      (error: unknown) => {
        failure = error;
      },
    )
    .finally(() => {
      finished = true;
      sampler.dispose();
      preventDisposal.dispose();
      wake?.();
    });

  async function* tokens(): AsyncGenerator<Token, void, undefined> {
    try {
      while (true) {
        const token = queue.shift();
        if (token !== undefined) {
          yield token;
          continue;
        }
        if (finished) {
          if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
          return;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      // Stops the loop (at most the token being computed is finished) and waits until the
      // sequence has recorded what was decoded, so the next request starts from the truth.
      if (!finished) ctx.cancelGeneration();
      await run;
    }
  }
  return tokens();
}
