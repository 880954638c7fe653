import type { LlamaContext, LlamaContextSequence, LlamaModel } from 'node-llama-cpp';
import type { AdapterRole } from '../../shared';
import { isOutOfMemory, llamaError } from './engine-errors';
import { setContextAdapter } from './context-adapter';
import type { FastModeModels } from './fast-modes';
import type { RuntimeAdapters } from './runtime-adapters';

export type AdapterKey = AdapterRole | 'base';

/** The context that serves a mode: the base model's, shared by every runtime-LoRA mode, or a fast mode's own. */
type ContextKey = 'base-model' | AdapterRole;

interface Slot {
  context: LlamaContext;
  sequence: LlamaContextSequence;
  lastUsed: number;
  /** The adapter the base model's context runs with now (a merged model's context has none). */
  adapter?: AdapterKey;
}

export interface ContextSettings {
  contextSize: number;
  batchSize?: number;
  threads: number;
  adapters: Partial<Record<AdapterRole, string>>;
  /** The file each adapter's runtime LoRA loads from (a Q8_0 copy on a GPU); the adapter when absent. */
  runtimeAdapters?: RuntimeAdapters;
  /** Merged models ("fast modes") that replace base + LoRA for some roles. */
  fastModes?: FastModeModels;
}

function describe(key: AdapterKey): string {
  return key === 'base' ? 'for the base model' : `for the ${key.toUpperCase()} adapter`;
}

/**
 * The llama.cpp contexts over the loaded model. Every runtime-LoRA mode runs in one context, whose
 * adapter is swapped when the mode changes: a context per mode would hold its own KV cache and
 * compute buffers (on a GPU, host memory besides; on the CPU, hundreds of MB of RAM each) only to
 * keep an evaluated prefix that a switch of mode rarely reuses, since each mode has its own system
 * prompt. After a swap the KV cache is cleared, as its keys and values were computed with the other
 * adapter; the next answer reads its whole prompt. A fast mode runs on its merged model, in that
 * model's own context. When memory runs out creating a context, the least recently used other one
 * is freed and creation is retried, so a switch degrades to a re-create instead of failing.
 */
export class AdapterContexts {
  private readonly slots = new Map<ContextKey, Slot>();
  private readonly creating = new Map<ContextKey, Promise<Slot>>();
  private clock = 0;

  constructor(
    private readonly model: LlamaModel,
    private readonly settings: ContextSettings,
  ) {}

  /** Whether the context that serves this adapter's mode exists already. */
  has(key: AdapterKey): boolean {
    const merged = key !== 'base' && this.settings.fastModes?.current()?.models[key];
    return this.slots.has(merged ? key : 'base-model');
  }

  async get(key: AdapterKey, signal?: AbortSignal): Promise<LlamaContextSequence> {
    // A fast mode runs on its merged model (the adapter already in the weights), without LoRA.
    const merged = key === 'base' ? null : await this.settings.fastModes?.modelFor(key, signal);
    const contextKey: ContextKey = merged && key !== 'base' ? key : 'base-model';
    let slot = this.slots.get(contextKey);
    if (!slot) {
      let pending = this.creating.get(contextKey);
      if (!pending) {
        pending = this.create(contextKey, merged ?? this.model, key, signal).finally(() =>
          this.creating.delete(contextKey),
        );
        this.creating.set(contextKey, pending);
      }
      slot = await pending;
    }
    slot.lastUsed = ++this.clock;
    if (!merged) await this.useAdapter(slot, key);
    return slot.sequence;
  }

  async dispose(): Promise<void> {
    await Promise.allSettled([...this.creating.values()]);
    const slots = [...this.slots.values()];
    this.slots.clear();
    await Promise.allSettled(slots.map((slot) => slot.context.dispose()));
    await this.settings.fastModes?.dispose();
  }

  /** Swaps the base model's context to this adapter; its KV cache belonged to the other one. */
  private async useAdapter(slot: Slot, key: AdapterKey): Promise<void> {
    if (slot.adapter === key) return;
    try {
      await setContextAdapter(slot.context, await this.adapterFile(key));
    } catch (error) {
      throw llamaError(
        error,
        key === 'base' ? 'removing the adapter' : `applying the ${key.toUpperCase()} adapter`,
        {
          code: 'adapter-mismatch',
          hint: 'Use the adapter trained for this base model.',
        },
      );
    }
    slot.adapter = key;
    await slot.sequence.clearHistory();
  }

  private async adapterFile(key: AdapterKey): Promise<string | undefined> {
    if (key === 'base') return undefined;
    return (await this.settings.runtimeAdapters?.pathFor(key)) ?? this.settings.adapters[key];
  }

  private async create(
    contextKey: ContextKey,
    model: LlamaModel,
    key: AdapterKey,
    signal?: AbortSignal,
  ): Promise<Slot> {
    for (;;) {
      try {
        const context = await model.createContext({
          contextSize: this.settings.contextSize,
          ...(this.settings.batchSize === undefined ? {} : { batchSize: this.settings.batchSize }),
          sequences: 1,
          threads: this.settings.threads,
          // A fixed size fails fast with an out-of-memory error instead of silently shrinking.
          failedCreationRemedy: false,
          ...(signal ? { createSignal: signal } : {}),
        });
        const slot: Slot = { context, sequence: context.getSequence(), lastUsed: ++this.clock };
        if (contextKey === 'base-model') slot.adapter = 'base';
        this.slots.set(contextKey, slot);
        return slot;
      } catch (error) {
        if (!isOutOfMemory(error) || !(await this.evictOldest(contextKey))) {
          throw llamaError(error, `creating a context ${describe(key)}`, {
            code: key === 'base' ? 'model-crashed' : 'adapter-mismatch',
            hint:
              key === 'base'
                ? 'Try a smaller --context-size, or load the model again.'
                : 'Use the adapter trained for this base model.',
          });
        }
      }
    }
  }

  private async evictOldest(except: ContextKey): Promise<boolean> {
    let oldest: [ContextKey, Slot] | undefined;
    for (const entry of this.slots) {
      if (entry[0] !== except && (!oldest || entry[1].lastUsed < oldest[1].lastUsed))
        oldest = entry;
    }
    if (!oldest) return false;
    this.slots.delete(oldest[0]);
    await oldest[1].context.dispose();
    return true;
  }
}
