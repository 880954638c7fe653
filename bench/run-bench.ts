/**
 * npm run bench — Ponder's engine against raw llama.cpp (llama-bench from the same source and
 * build) on synthetic Qwen2.5-shaped Q4_K_M models, on this machine, in one run.
 *
 *   npm run bench                                   # CPU: 1.5B shape (7B is minutes per token here)
 *   npm run bench -- --shapes 7b,1.5b --gpu cuda    # GPU machine, after npm run native:cuda -- --llama-bench
 *   options: --reps 5 --n-gen 128 --n-prompt 512 --threads 2 --sweep 1,2 --probe --machine NAME
 *            --llama-bench PATH --no-sweep --no-rank20 --no-renderer
 *            --fast-modes [--llama-tools DIR]   # also merge the LoRA and decode on the merged model
 *            --adapter-type f16|q8_0            # the synthetic LoRA's tensor type (default f16)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  MODEL_PROCESS_MALLOC_SETTINGS,
  modelProcessEnv,
} from '../electron/core/model-host/model-process-env';
import { readLocalCudaBuild } from '../native';
import { benchEngine } from './engine-bench';
import { benchFastMode, findMergeTools } from './fast-mode-bench';
import { runLlamaBench } from './llama-bench';
import { machineInfo } from './machine-info';
import { plotSvg, updateReadme } from './report';
import type { BenchResult } from './report';
import { rank20Ms, rendererInteractiveMs } from './side-metrics';
import { round } from './stats';
import { ensureSyntheticLora, ensureSyntheticModel, SHAPES } from './synthetic-model';
import type { ShapeName } from './synthetic-model';
import { sweepThreads } from './threads-sweep';

/**
 * The bench runs the engine in its own process, where Ponder runs it in the model process with
 * that process's malloc settings (model-process-env.ts). glibc reads them only when a process
 * starts, so without them the bench starts itself again with them (and exits with that run's
 * status), and its resident memory is the model process's.
 */
function relaunchWithModelProcessMalloc(): void {
  if (process.platform !== 'linux') return;
  const missing = Object.keys(MODEL_PROCESS_MALLOC_SETTINGS).some(
    (name) => process.env[name] === undefined,
  );
  if (!missing) return;
  const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: modelProcessEnv(process.env),
  });
  if (child.error) console.error(`Could not start the bench again: ${child.error.message}`);
  if (child.signal) console.error(`The bench was killed by ${child.signal}.`);
  process.exit(child.status ?? 1);
}
// Before anything else runs (the options, the machine's description), so that work is done once.
relaunchWithModelProcessMalloc();

const root =
  process.env.PONDER_ROOT ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    shapes: { type: 'string', default: '1.5b' },
    gpu: { type: 'string', default: 'false' },
    reps: { type: 'string', default: '5' },
    'n-gen': { type: 'string', default: '128' },
    'n-prompt': { type: 'string', default: '512' },
    threads: { type: 'string' },
    sweep: { type: 'string' },
    'sweep-shape': { type: 'string', default: '1.5b' },
    'no-sweep': { type: 'boolean', default: false },
    'no-rank20': { type: 'boolean', default: false },
    'no-renderer': { type: 'boolean', default: false },
    probe: { type: 'boolean', default: false },
    machine: { type: 'string' },
    'llama-bench': { type: 'string' },
    work: { type: 'string' },
    'ttft-prompt': { type: 'string', default: '500' },
    'sweep-n-gen': { type: 'string', default: '32' },
    'fast-modes': { type: 'boolean', default: false },
    'llama-tools': { type: 'string' },
    'adapter-type': { type: 'string', default: 'f16' },
  },
});

const gpu = values.gpu === 'false' ? false : (values.gpu as 'cuda' | 'auto');
const reps = Number(values.reps);
const nGen = Number(values['n-gen']);
const nPrompt = Number(values['n-prompt']);
const threads = values.threads ? Number(values.threads) : undefined;
const adapterType = values['adapter-type'] === 'q8_0' ? 'Q8_0' : 'F16';
const work = values.work ?? path.join(root, 'bench/work');
const resultsDir = path.join(root, 'bench/results');
const localBuild = readLocalCudaBuild();
const cpuLlamaBench = path.join(root, 'bench/work/llama-bench-cpu/llama-bench');
const llamaBench =
  values['llama-bench'] ??
  (gpu === false
    ? existsSync(cpuLlamaBench)
      ? cpuLlamaBench
      : null
    : (localBuild?.llamaBench ?? null));
const info = machineInfo(values.machine);
const date = new Date().toISOString().slice(0, 10);
const log = (line: string): void =>
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

async function benchShape(
  shapeName: ShapeName,
): Promise<{ result: BenchResult; details: Record<string, unknown> }> {
  const shape = SHAPES[shapeName];
  mkdirSync(work, { recursive: true });
  const modelPath = path.join(work, `qwen2.5-${shapeName}-q4_k_m.gguf`);
  const loraPath = path.join(
    work,
    `lora-r32-${shapeName}${adapterType === 'Q8_0' ? '-q8_0' : ''}.gguf`,
  );
  log(`writing ${modelPath}`);
  const modelBytes = await ensureSyntheticModel(modelPath, shape);
  await ensureSyntheticLora(loraPath, shape, 32, undefined, adapterType);
  const gpuLayers = gpu === false ? 0 : 99;

  log(`llama-bench ${shapeName}`);
  let raw: Awaited<ReturnType<typeof runLlamaBench>> | null = null;
  let rawError: string | null = llamaBench
    ? null
    : 'no llama-bench (CPU: bench/build-cpu-llama-bench.sh; GPU: npm run native:cuda -- --llama-bench; or --llama-bench PATH)';
  if (llamaBench) {
    try {
      raw = await runLlamaBench(llamaBench, modelPath, { gpuLayers, threads, nPrompt, nGen, reps });
    } catch (error) {
      rawError = `llama-bench failed: ${String(error).split('\n')[0]}`;
    }
  }
  log(`engine ${shapeName}`);
  const engine = await benchEngine(
    {
      modelPath,
      adapters: { sft: loraPath },
      gpu,
      contextSize: 4096,
      ...(threads ? { threads } : {}),
      // The engine's data folder (Q8_0 copies of runtime adapters), kept with the bench's files.
      dataDir: path.join(work, 'data'),
    },
    { nGen, nPrompt, reps, ttftPrompt: Number(values['ttft-prompt']) },
  );
  let probe: unknown = null;
  if (values.probe) {
    log(`probe ${shapeName}`);
    probe = await runProbe(modelPath, gpuLayers, Number(engine.info.threads));
  }
  let fastMode: Awaited<ReturnType<typeof benchFastMode>> | { error: string } | null = null;
  if (values['fast-modes']) {
    const toolsDir = values['llama-tools'] ?? (llamaBench ? path.dirname(llamaBench) : null);
    const tools = toolsDir ? findMergeTools(toolsDir) : null;
    if (!tools) {
      fastMode = {
        error: `no llama-export-lora and llama-quantize in ${toolsDir ?? '(no folder)'}`,
      };
    } else {
      log(`fast mode ${shapeName}: merging the adapter`);
      try {
        fastMode = await benchFastMode({
          tools,
          modelPath,
          loraPath,
          work,
          // Merging is CPU work whatever the engine runs on: every core.
          threads: availableParallelism(),
          baseDecodeTps: engine.decodeTps.median,
          engine: { gpu, contextSize: 4096, ...(threads ? { threads } : {}) },
          settings: { nGen, nPrompt, reps, ttftPrompt: Number(values['ttft-prompt']) },
        });
      } catch (error) {
        fastMode = { error: String(error).split('\n')[0] ?? 'merge failed' };
      }
    }
  }
  const ratio = (a: number | null | undefined, b: number | null | undefined): number | null =>
    a && b ? round(a / b, 3) : null;
  const result: BenchResult = {
    machine: info.machine,
    cpu: info.cpu,
    gpu: info.gpu,
    build: `node-llama-cpp 3.21.1 (${String(engine.info.backend ?? '')}), llama.cpp release ${llamaCppRelease()} from its git bundle; llama-bench ${llamaBench ?? 'absent'}${localBuild ? `; CMAKE_CUDA_ARCHITECTURES=${localBuild.cudaArch}` : ''}`,
    model: `${shape.name} shape, synthetic Q4_K_M (${(modelBytes / 2 ** 30).toFixed(2)} GiB)`,
    settings: {
      n_gen: nGen,
      n_prompt: nPrompt,
      reps,
      gpu_layers: engine.info.gpuLayers,
      threads: engine.info.threads,
      context_size: engine.info.contextSize,
      engine_sampling: 'temperature 0.6, top-k 40, top-p 0.95 (reasoning mode, base model)',
      llama_bench: raw?.command ?? null,
      adapter: `rank-32 LoRA on q,k,v,o,gate,up,down (${adapterType.toLowerCase()}), chat mode; ${
        (engine.info.runtimeAdapters as { reason?: string } | undefined)?.reason ??
        'runtime adapters as given'
      }`,
      rss_method: `${
        gpu === false
          ? 'RssAnon minus the model size (CPU repacks weights into anonymous memory)'
          : 'RssAnon (weights on the GPU, file mapping excluded)'
      }; malloc: ${Object.keys(MODEL_PROCESS_MALLOC_SETTINGS)
        .map((name) => `${name}=${process.env[name] ?? 'unset'}`)
        .join(' ')}`,
    },
    metrics: {
      decode_tps: engine.decodeTps.median,
      decode_tps_llama_bench: raw?.decodeTps ?? null,
      decode_ratio: ratio(engine.decodeTps.median, raw?.decodeTps),
      decode_loop: String(engine.info.decodeLoop ?? 'javascript'),
      // Measured in the same run with PONDER_DECODE_LOOP=javascript when the native loop served
      // decode_tps.
      decode_tps_javascript_loop: engine.javascriptLoopDecodeTps?.median ?? null,
      decode_ratio_javascript_loop: ratio(engine.javascriptLoopDecodeTps?.median, raw?.decodeTps),
      // The native loop with its top-k picked on the host rather than the device (GPU only).
      decode_tps_host_top_k: engine.hostTopKDecodeTps?.median ?? null,
      decode_ratio_host_top_k: ratio(engine.hostTopKDecodeTps?.median, raw?.decodeTps),
      prompt_tps: engine.promptTps.median,
      prompt_tps_llama_bench: raw?.promptTps ?? null,
      prompt_ratio: ratio(engine.promptTps.median, raw?.promptTps),
      ttft_ms_500: engine.ttftMs.median,
      mode_switch_ms: engine.modeSwitchMs.median,
      mode_switch_first_token_ms: engine.switchFirstTokenMs.median,
      same_mode_first_token_ms: engine.sameModeFirstTokenMs.median,
      adapter_decode_ratio: ratio(engine.adapterDecodeTps.median, engine.decodeTps.median),
      fast_mode_decode_ratio:
        fastMode && 'decodeRatioToBase' in fastMode ? fastMode.decodeRatioToBase : null,
      fast_mode_switch_ms:
        fastMode && 'modeSwitchMs' in fastMode ? fastMode.modeSwitchMs.median : null,
      fast_mode_agreement: fastMode && 'quality' in fastMode ? fastMode.quality.agreement : null,
      rank20_ms: null,
      renderer_interactive_ms: null,
      // Resident memory not backed by the model file; on the CPU llama.cpp also repacks the weights
      // into anonymous memory, so the model's size comes off that too.
      rss_mb: round(
        gpu === false ? engine.memory.anonMb - modelBytes / 2 ** 20 : engine.memory.anonMb,
        1,
      ),
    },
  };
  return { result, details: { engine, raw, rawError, probe, fastMode } };
}

async function runProbe(
  modelPath: string,
  gpuLayers: number,
  engineThreads: number,
): Promise<unknown> {
  const { getLlama } = await import('node-llama-cpp');
  const { localBuildLlamaOptions } = await import('../native');
  const { probeDecode } = await import('./decode-probe');
  const llama = await getLlama({
    gpu,
    ...(gpu === false ? {} : localBuildLlamaOptions()),
    build: 'never',
    skipDownload: true,
    progressLogs: false,
  });
  const model = await llama.loadModel({ modelPath, gpuLayers });
  const variants: Record<string, unknown> = {};
  const configs: Record<string, Record<string, unknown>> = {
    default: {},
    flash_attention_on: { flashAttention: true },
    flash_attention_off: { flashAttention: false },
    batch_1024: { batchSize: 1024 },
    // node-llama-cpp gathers a batch until the next event-loop turn (setImmediate); a microtask
    // dispatches as soon as the current token's continuation ends.
    dispatch_microtask: {
      batching: { dispatchSchedule: (dispatch: () => void) => queueMicrotask(dispatch) },
    },
    threads_1: { threads: 1 },
    threads_16: { threads: 16 },
    lora_all_7_targets: {
      lora: { adapters: [{ filePath: path.join(work, `lora-r32-${shapeOf(modelPath)}.gguf`) }] },
    },
    lora_attention_only: {
      lora: {
        adapters: [{ filePath: path.join(work, `lora-r32-attn-${shapeOf(modelPath)}.gguf`) }],
      },
    },
  };
  await ensureSyntheticLora(
    path.join(work, `lora-r32-attn-${shapeOf(modelPath)}.gguf`),
    SHAPES[shapeOf(modelPath)],
    32,
    ['attn_q', 'attn_k', 'attn_v', 'attn_output'],
  );
  for (const [name, contextOptions] of Object.entries(configs)) {
    log(`probe variant ${name}`);
    variants[name] = await probeDecode(model, {
      nGen,
      nPrompt,
      reps,
      threads: Number(contextOptions.threads ?? engineThreads),
      contextOptions,
    });
  }
  await model.dispose();
  await llama.dispose();
  return variants;
}

function writeResults(
  outputs: { result: BenchResult; details: Record<string, unknown> }[],
  shapes: string[],
  extra: Record<string, unknown>,
): BenchResult[] {
  mkdirSync(resultsDir, { recursive: true });
  return outputs.map(({ result, details }, index) => {
    const suffix = index === 0 ? '' : `-${shapes[index]}`;
    const base = path.join(resultsDir, `${date}-${info.machine}${suffix}`);
    writeFileSync(`${base}.json`, JSON.stringify(result, null, 2) + '\n');
    writeFileSync(`${base}.details.json`, JSON.stringify({ ...details, ...extra }, null, 2) + '\n');
    log(`wrote ${base}.json`);
    return result;
  });
}

function llamaCppRelease(): string {
  try {
    const file = path.join(root, 'node_modules/node-llama-cpp/llama/llama.cpp.info.json');
    const info = JSON.parse(readFileSync(file, 'utf8')) as { tag?: string };
    return info.tag ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function shapeOf(modelPath: string): ShapeName {
  return /qwen2\.5-(.+)-q4_k_m/.exec(path.basename(modelPath))?.[1] as ShapeName;
}

async function main(): Promise<void> {
  const shapes = values.shapes.split(',') as ShapeName[];
  const outputs: { result: BenchResult; details: Record<string, unknown> }[] = [];
  for (const shape of shapes) {
    if (!(shape in SHAPES))
      throw new Error(`Unknown shape ${shape}; use ${Object.keys(SHAPES).join(', ')}`);
    outputs.push(await benchShape(shape));
    writeResults(outputs, shapes, {}); // kept even if a later step fails
  }
  const side: Record<string, unknown> = {};
  if (!values['no-rank20']) side.rank20 = await rank20Ms(root);
  if (!values['no-renderer']) side.renderer = await rendererInteractiveMs(root);
  let sweep: Awaited<ReturnType<typeof sweepThreads>> | null = null;
  if (!values['no-sweep']) {
    const shape = values['sweep-shape'] as ShapeName;
    const model = path.join(work, `qwen2.5-${shape}-q4_k_m.gguf`);
    log(`thread sweep on ${shape}`);
    const modelBytes = await ensureSyntheticModel(model, SHAPES[shape]);
    sweep = await sweepThreads({
      model,
      llamaBench,
      ...(values.sweep ? { threads: values.sweep.split(',').map(Number) } : {}),
      nGen: Math.min(nGen, Number(values['sweep-n-gen'])),
      reps: Math.min(reps, 2),
      modelBytes: modelBytes || statSync(model).size,
      gpu: gpu === false ? false : 'cuda',
    });
  }
  const rank = side.rank20 as { ms: number | null } | undefined;
  const renderer = side.renderer as { ms: number | null } | undefined;
  for (const { result } of outputs) {
    result.metrics.rank20_ms = rank?.ms ?? null;
    result.metrics.renderer_interactive_ms = renderer?.ms ?? null;
  }
  const results = writeResults(outputs, shapes, { side, sweep });
  writeFileSync(
    path.join(resultsDir, `${date}-${info.machine}.svg`),
    plotSvg(
      results,
      sweep
        ? {
            label: `${info.machine} thread sweep (${values['sweep-shape']})`,
            engine: sweep.engineTps,
            raw: sweep.llamaBenchTps,
          }
        : undefined,
    ),
  );
  if (existsSync(path.join(root, 'bench/README.md')))
    updateReadme(path.join(root, 'bench/README.md'), resultsDir);
  console.log(JSON.stringify({ results, sweep, side }, null, 2));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
