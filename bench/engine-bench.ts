import type { Engine, EngineOptions, GenerateRequest } from '../electron/core/llm';
import { createEngine } from '../electron/core/llm';
import type { GenerationStats, Mode } from '../electron/shared';
import { residentMemory, round, summarize } from './stats';
import type { Summary } from './stats';

export interface EngineBenchSettings {
  nGen: number;
  nPrompt: number;
  reps: number;
  /** ttft is also measured for a prompt of this many tokens (the 500-token prompt). */
  ttftPrompt: number;
}

export interface EngineBenchResult {
  decodeTps: Summary;
  /** The same decode with node-llama-cpp's JavaScript loop, when the native loop served the above. */
  javascriptLoopDecodeTps: Summary | null;
  hostTopKDecodeTps: Summary | null;
  adapterDecodeTps: Summary;
  promptTps: Summary;
  ttftMs: Summary;
  modeSwitchMs: Summary;
  modeSwitchColdMs: number;
  /** First token of a short question in the other mode, right after switching to it. */
  switchFirstTokenMs: Summary;
  /** The same question asked again in the same mode. */
  sameModeFirstTokenMs: Summary;
  memory: { anonMb: number; fileMb: number; totalMb: number };
  memoryBeforeLoad: { anonMb: number; fileMb: number; totalMb: number };
  loadMs: number;
  info: Record<string, unknown>;
  notes: string[];
}

async function run(engine: Engine, request: GenerateRequest): Promise<GenerationStats> {
  for await (const event of engine.generate(request)) {
    if (event.type === 'error') throw new Error(`${event.error.code}: ${event.error.message}`);
    if (event.type === 'done') return event.stats;
  }
  throw new Error('generate ended without done');
}

/** A request whose whole prompt is `tokens` long; the system prompt differs per call so no prefix is reused. */
function promptRequest(mode: Mode, text: string, tag: string, maxTokens: number): GenerateRequest {
  return {
    mode,
    systemPrompt: `${tag} You are a benchmark.`,
    messages: [{ role: 'user', text }],
    maxTokens,
    seed: 1,
  };
}

async function sizedText(engine: Engine, mode: Mode, tokens: number): Promise<string> {
  // One probe tells the template's overhead; the synthetic vocabulary has one token per byte.
  const probe = await run(engine, promptRequest(mode, 'x', 'calibrate-0', 1));
  const overhead = probe.promptTokens - 1;
  const letters = 'the quick brown fox jumps over the lazy dog ';
  let text = '';
  while (text.length < tokens - overhead) text += letters;
  text = text.slice(0, Math.max(1, tokens - overhead));
  const check = await run(engine, promptRequest(mode, text, 'calibrate-1', 1));
  return text.slice(0, Math.max(1, text.length - (check.promptTokens - tokens)));
}

export async function benchEngine(
  options: EngineOptions,
  settings: EngineBenchSettings,
): Promise<EngineBenchResult> {
  const notes: string[] = [];
  const memoryBeforeLoad = await residentMemory();
  const loadStart = performance.now();
  const engine = await createEngine(options);
  const loadMs = performance.now() - loadStart;
  try {
    const base: Mode = 'reasoning'; // no GRPO adapter is given, so reasoning runs on the base model
    const withAdapter: Mode = 'chat'; // the SFT adapter
    await run(engine, promptRequest(base, 'warm up', 'warm', 8));

    const decode = async (mode: Mode): Promise<number[]> => {
      const values: number[] = [];
      for (let rep = 0; rep < settings.reps; rep++) {
        const stats = await run(
          engine,
          promptRequest(mode, 'Write a long story.', `d${rep}${mode}`, settings.nGen),
        );
        if (stats.completionTokens < settings.nGen)
          notes.push(
            `${mode} decode stopped after ${stats.completionTokens} tokens (${stats.stopReason})`,
          );
        values.push(stats.tokensPerSecond);
      }
      return values;
    };
    /** The base model's decode again with one environment variable set for its duration. */
    const decodeWith = async (name: string, value: string): Promise<number[]> => {
      process.env[name] = value;
      try {
        return await decode(base);
      } finally {
        delete process.env[name];
      }
    };
    const baseDecode = await decode(base);
    const native = engine.info().decodeLoop === 'native';
    // On a GPU the native loop picks the top-k on the device; measured once more with the top-k
    // picked on the host from the copied logits, to show what that costs.
    const hostTopKDecode =
      native && engine.info().gpu !== false
        ? await decodeWith('PONDER_TOP_K_ON_DEVICE', 'off')
        : null;
    const javascriptLoopDecode = native
      ? await decodeWith('PONDER_DECODE_LOOP', 'javascript')
      : null;
    // The first switch to the adapter's mode creates its context (LoRA applied to the shared weights).
    const cold = await engine.prepare(withAdapter);
    await run(engine, promptRequest(withAdapter, 'warm up', 'warm-a', 8));
    const adapterDecode = await decode(withAdapter);

    const ttft = async (tokens: number): Promise<{ ms: number[]; tps: number[] }> => {
      const text = await sizedText(engine, base, tokens);
      const ms: number[] = [];
      const tps: number[] = [];
      for (let rep = 0; rep < settings.reps; rep++) {
        const stats = await run(engine, promptRequest(base, text, `p${rep}-${Math.random()}`, 1));
        ms.push(stats.timeToFirstTokenMs);
        tps.push((stats.promptTokens * 1000) / stats.timeToFirstTokenMs);
        if (Math.abs(stats.promptTokens - tokens) > 2)
          notes.push(`prompt of ${stats.promptTokens} tokens instead of ${tokens}`);
      }
      return { ms, tps };
    };
    const prompt = await ttft(settings.nPrompt);
    const ttft500 =
      settings.ttftPrompt === settings.nPrompt ? prompt : await ttft(settings.ttftPrompt);

    // Warm switches back and forth: both contexts exist, the base weights are never reloaded.
    const switches: number[] = [];
    for (let rep = 0; rep < 10; rep++) {
      switches.push((await engine.prepare(rep % 2 ? base : withAdapter)).ms);
    }
    // What a person waits for after a switch: the modes share one context, so the switch itself
    // only swaps the adapter, and the answer after it reads its whole prompt again.
    const switchFirstToken: number[] = [];
    const sameModeFirstToken: number[] = [];
    const question = (mode: Mode): GenerateRequest => ({
      mode,
      messages: [{ role: 'user', text: 'Name three prime numbers.' }],
      maxTokens: 1,
      seed: 1,
    });
    for (let rep = 0; rep < Math.max(4, settings.reps * 2); rep++) {
      const mode = rep % 2 ? base : withAdapter;
      switchFirstToken.push((await run(engine, question(mode))).timeToFirstTokenMs);
      sameModeFirstToken.push((await run(engine, question(mode))).timeToFirstTokenMs);
    }
    const memory = await residentMemory();
    return {
      decodeTps: summarize(baseDecode),
      javascriptLoopDecodeTps: javascriptLoopDecode ? summarize(javascriptLoopDecode) : null,
      hostTopKDecodeTps: hostTopKDecode ? summarize(hostTopKDecode) : null,
      adapterDecodeTps: summarize(adapterDecode),
      promptTps: summarize(prompt.tps),
      ttftMs: summarize(ttft500.ms),
      modeSwitchMs: summarize(switches),
      modeSwitchColdMs: round(cold.ms),
      switchFirstTokenMs: summarize(switchFirstToken),
      sameModeFirstTokenMs: summarize(sameModeFirstToken),
      memory,
      memoryBeforeLoad,
      loadMs: round(loadMs),
      info: engine.info() as unknown as Record<string, unknown>,
      notes: [...new Set(notes)],
    };
  } finally {
    await engine.dispose();
  }
}
