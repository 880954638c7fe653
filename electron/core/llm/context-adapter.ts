import type { LlamaContext } from 'node-llama-cpp';

/**
 * node-llama-cpp sets a context's LoRA adapters when it creates the context, through an internal
 * method that loads each adapter once per model and replaces the context's whole set
 * (`llama_set_adapters_lora`). Ponder calls the same method to move one context from mode to mode.
 */
interface ContextWithAdapters {
  _setLoras(adapters: { filePath: string; scale?: number }[]): Promise<void>;
}

function hasAdapterSetter(context: LlamaContext): context is LlamaContext & ContextWithAdapters {
  return typeof (context as Partial<ContextWithAdapters>)._setLoras === 'function';
}

/** Runs the context with this adapter alone, or with none (the base model) when `path` is absent. */
export async function setContextAdapter(context: LlamaContext, path: string | undefined) {
  if (!hasAdapterSetter(context)) {
    throw new Error(
      'This node-llama-cpp cannot change a context’s LoRA adapter; reinstall Ponder’s pinned version (3.21.1).',
    );
  }
  await context._setLoras(path ? [{ filePath: path }] : []);
}
