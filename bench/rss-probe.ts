/**
 * Where the model process's resident memory (besides the model) goes, step by step: Node alone,
 * node-llama-cpp imported (with Ponder's loader), llama.cpp started (the CUDA runtime), the model loaded, a context made,
 * one answer generated. Each step's RssAnon, and the largest anonymous mappings at the end.
 *
 * With `--lora LORA.gguf` the bare steps go on: a 500-token prompt read without the adapter, the
 * adapter set on the same context, 16 tokens decoded with it, and the 500-token prompt read with it
 * (which is where ggml-cuda first multiplies batches by the adapter's f16 matrices).
 *
 * With `--adapter LORA.gguf` it runs the model process's engine instead, through the bench's
 * workload: 128 tokens in the base model's mode, the adapter's mode made ready and 128 tokens in
 * it, then a 500-token prompt in each mode. That is the resident memory Ponder's model process has once a person
 * has used two modes.
 *
 *   npx tsx bench/rss-probe.ts MODEL.gguf [--gpu cuda|false] [--adapter LORA.gguf | --lora LORA.gguf]
 *     [--label NAME]
 *
 * Runs once per call, in its own process, so a variant is an environment variable away
 * (CUDA_MODULE_LOADING=EAGER, GGML_CUDA_NO_PINNED=1, …). Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    gpu: { type: 'string', default: 'cuda' },
    adapter: { type: 'string' },
    lora: { type: 'string' },
    label: { type: 'string' },
  },
});
const modelPath = positionals[0] ?? '';
if (!modelPath) {
  console.error(
    'Usage: rss-probe MODEL.gguf [--gpu cuda|false] [--adapter LORA.gguf | --lora LORA.gguf] [--label NAME]',
  );
  process.exit(2);
}

function anonMb(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  return Math.round(Number(/RssAnon:\s+(\d+)/.exec(status)?.[1] ?? 0) / 102.4) / 10;
}

/** The biggest anonymous resident mappings, with what sits just before them (a library's name). */
function largestAnonymousMappings(count = 8): { mb: number; after: string }[] {
  const lines = readFileSync('/proc/self/smaps', 'utf8').split('\n');
  const mappings: { mb: number; after: string }[] = [];
  let lastNamed = '';
  let current: { name: string; anon: number } | undefined;
  const flush = () => {
    if (current && !current.name && current.anon > 0)
      mappings.push({ mb: Math.round(current.anon / 102.4) / 10, after: lastNamed });
    if (current?.name) lastNamed = current.name;
  };
  for (const line of lines) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      flush();
      current = { name: (header[1] ?? '').trim(), anon: 0 };
      continue;
    }
    const anonymous = /^Anonymous:\s+(\d+) kB/.exec(line);
    if (anonymous && current) current.anon += Number(anonymous[1]);
  }
  flush();
  return mappings.sort((a, b) => b.mb - a.mb).slice(0, count);
}

const gpu = values.gpu === 'false' ? false : 'cuda';
const steps: Record<string, number> = { node: anonMb() };
const release = values.adapter ? await engineWorkload(values.adapter) : await bareWorkload();

/** node-llama-cpp alone, step by step: where the memory goes. */
async function bareWorkload(): Promise<() => Promise<void>> {
  const { loadLlama } = await import('../electron/core/llm/load-llama');
  steps.imported = anonMb();
  // llama.cpp started as Ponder's model process starts it (the local CUDA build when recorded).
  const { llama } = await loadLlama(gpu);
  steps.llamaStarted = anonMb();
  const model = await llama.loadModel({ modelPath, gpuLayers: gpu === false ? 0 : 'max' });
  steps.modelLoaded = anonMb();
  const context = await model.createContext({ contextSize: 4096 });
  steps.contextCreated = anonMb();
  const sequence = context.getSequence();
  /** 16 greedy tokens from a fresh start. */
  const generate16 = async () => {
    await sequence.clearHistory();
    let generated = 0;
    for await (const token of sequence.evaluate(model.tokenize('Once upon a time'), {
      temperature: 0,
    })) {
      void token;
      if (++generated >= 16) break;
    }
  };
  await generate16();
  steps.generated = anonMb();
  if (values.lora) {
    const longPrompt = model.tokenize('the quick brown fox jumps over the lazy dog '.repeat(50));
    const readPrompt = async () => {
      await sequence.clearHistory();
      await sequence.evaluateWithoutGeneratingNewTokens(longPrompt);
    };
    await readPrompt();
    steps.longPromptRead = anonMb();
    const { setContextAdapter } = await import('../electron/core/llm/context-adapter');
    await setContextAdapter(context, values.lora);
    steps.loraSet = anonMb();
    await generate16();
    steps.loraGenerated = anonMb();
    await readPrompt();
    steps.loraLongPromptRead = anonMb();
  }
  return async () => {
    await context.dispose();
    await model.dispose();
    await llama.dispose();
  };
}

/** Ponder's engine as the model process runs it, through two modes and a long prompt. */
async function engineWorkload(adapter: string): Promise<() => Promise<void>> {
  const { createEngine } = await import('../electron/core/llm/create-engine');
  steps.imported = anonMb();
  const engine = await createEngine({
    modelPath,
    adapters: { sft: adapter },
    gpu,
    contextSize: 4096,
    // As the bench: runtime adapters' Q8_0 copies (on a GPU) are made here once, then found.
    dataDir: 'bench/work/data',
  });
  steps.engineCreated = anonMb();
  const answer = async (mode: 'chat' | 'reasoning', text: string, maxTokens: number) => {
    for await (const event of engine.generate({
      mode,
      messages: [{ role: 'user', text }],
      maxTokens,
      seed: 1,
    })) {
      if (event.type === 'error') throw new Error(event.error.message);
    }
  };
  await answer('reasoning', 'Write a long story.', 128);
  steps.baseModeAnswered = anonMb();
  await answer('chat', 'Write a long story.', 128);
  steps.adapterModeAnswered = anonMb();
  const longPrompt = 'the quick brown fox jumps over the lazy dog '.repeat(60);
  await answer('reasoning', longPrompt, 1);
  steps.longPromptRead = anonMb();
  // A long prompt in the adapter's mode too (a conversation's history, a search's sources).
  await answer('chat', longPrompt, 1);
  steps.adapterLongPromptRead = anonMb();
  return () => engine.dispose();
}

const result = {
  label: values.label ?? null,
  adapterStorage: process.env.PONDER_ADAPTER_STORAGE ?? 'auto',
  env: Object.fromEntries(
    Object.entries(process.env).filter(([key]) => /^(CUDA_|GGML_)/.test(key)),
  ),
  steps,
  largestAnonymousMappings: largestAnonymousMappings(),
};
console.log(JSON.stringify(result));
await release();
