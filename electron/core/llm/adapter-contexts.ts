import type { LlamaContext, LlamaContextSequence, LlamaModel } from 'node-llama-cpp';
import type { AdapterRole } from '../../shared';
import { isOutOfMemory, llamaError } from './engine-errors';
import type { FastModeModels } from './fast-modes';

export type AdapterKey = AdapterRole | 'base';

interface Slot {
  context: LlamaContext;
  sequence: LlamaContextSequence;
  lastUsed: number;
}

export interface ContextSettings {
  contextSize: number;
  batchSize?: number;
  threads: number;
  adapters: Partial<Record<AdapterRole, string>>;
  /** Merged models ("fast modes") that replace base + LoRA for some roles. */
  fastModes?: FastModeModels;
}

/**
 * One llama.cpp context per adapter over the single loaded model, created on first use and kept:
 * switching modes then only picks another context (the base weights are shared, and each keeps
 * its own KV cache, so a conversation continued in its mode reuses its evaluated prefix). When
 * memory runs out creating one, the least recently used other context is freed and creation is
 * retried, so a switch degrades to a re-create instead of failing.
 */
export class AdapterContexts {
  private readonly slots = new Map<AdapterKey, Slot>();
  private readonly creating = new Map<AdapterKey, Promise<Slot>>();
  private clock = 0;

  constructor(
    private readonly model: LlamaModel,
    private readonly settings: ContextSettings,
  ) {}

  has(key: AdapterKey): boolean {
    return this.slots.has(key);
  }

  async get(key: AdapterKey, signal?: AbortSignal): Promise<LlamaContextSequence> {
    const existing = this.slots.get(key);
    if (existing) {
      existing.lastUsed = ++this.clock;
      return existing.sequence;
    }
    let pending = this.creating.get(key);
    if (!pending) {
      pending = this.create(key, signal).finally(() => this.creating.delete(key));
      this.creating.set(key, pending);
    }
    return (await pending).sequence;
  }

  async dispose(): Promise<void> {
    await Promise.allSettled([...this.creating.values()]);
    const slots = [...this.slots.values()];
    this.slots.clear();
    await Promise.allSettled(slots.map((slot) => slot.context.dispose()));
    await this.settings.fastModes?.dispose();
  }

  private async create(key: AdapterKey, signal?: AbortSignal): Promise<Slot> {
    for (;;) {
      try {
        const context = await this.createContext(key, signal);
        const slot = { context, sequence: context.getSequence(), lastUsed: ++this.clock };
        this.slots.set(key, slot);
        return slot;
      } catch (error) {
        if (!isOutOfMemory(error) || !(await this.evictOldest(key))) {
          const what =
            key === 'base' ? 'for the base model' : `for the ${key.toUpperCase()} adapter`;
          throw llamaError(error, `creating a context ${what}`, {
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

  private async createContext(key: AdapterKey, signal?: AbortSignal): Promise<LlamaContext> {
    // A fast mode runs on its merged model (the adapter already in the weights), without LoRA.
    const merged = key === 'base' ? null : await this.settings.fastModes?.modelFor(key, signal);
    const adapterPath = key === 'base' || merged ? undefined : this.settings.adapters[key];
    return (merged ?? this.model).createContext({
      contextSize: this.settings.contextSize,
      ...(this.settings.batchSize === undefined ? {} : { batchSize: this.settings.batchSize }),
      sequences: 1,
      threads: this.settings.threads,
      // A fixed size fails fast with an out-of-memory error instead of silently shrinking.
      failedCreationRemedy: false,
      ...(adapterPath ? { lora: { adapters: [{ filePath: adapterPath }] } } : {}),
      ...(signal ? { createSignal: signal } : {}),
    });
  }

  private async evictOldest(except: AdapterKey): Promise<boolean> {
    let oldest: [AdapterKey, Slot] | undefined;
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
