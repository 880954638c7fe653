import { rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { EvalMode, EvalProgress, EvalReport } from '../../eval';
import type { CliCommand, CliIO } from '../cli-command';
import { UsageError, usageErrorFromParseArgs } from '../usage-error';

const USAGE = [
  'Usage:',
  '  ponder eval --data FILE.jsonl [--modes base,chat,reasoning] [--limit N] [--out DIR]',
  '',
  'Answers every item of an Alpaca-style ({"instruction","input","output"}) or chat ({"messages"})',
  'JSONL file in each mode and compares the answers with the references: format compliance',
  '(exact/partial/none), ROUGE-L, corpus BLEU (sacreBLEU 13a), mean reasoning length in tokens,',
  'semantic similarity (cosine of all-MiniLM-L6-v2 sentence embeddings, when available) and tokens/s.',
  'Writes DIR/answers.jsonl (one line per answer, so Ctrl+C and running again resumes),',
  'DIR/eval.json and DIR/eval.svg, and prints the table.',
  '',
  '  --modes LIST           any of base (the base model alone), chat (SFT), reasoning (GRPO)',
  '  --limit N              the first N items only',
  '  --out DIR              results folder (default: FILE-eval beside the data file)',
  '  --max-tokens N         tokens per answer (default 1024)',
  '  --temperature T        default 0: the same answers every run',
  '  --seed N',
  '  --model FILE --sft FILE --grpo FILE   the base model and adapters (else settings)',
  '  --threads N --context-size N --gpu-layers N|auto',
  '  --embedding-model DIR  local all-MiniLM-L6-v2 folder for semantic similarity',
  '  --data-dir DIR         settings and models folder (else PONDER_DATA_DIR)',
].join('\n');

const OPTIONS = {
  data: { type: 'string' },
  modes: { type: 'string' },
  limit: { type: 'string' },
  out: { type: 'string' },
  'max-tokens': { type: 'string' },
  temperature: { type: 'string' },
  seed: { type: 'string' },
  model: { type: 'string' },
  sft: { type: 'string' },
  grpo: { type: 'string' },
  threads: { type: 'string' },
  'context-size': { type: 'string' },
  'gpu-layers': { type: 'string' },
  'embedding-model': { type: 'string' },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const EXIT_CANCELLED = 130;

function usageError(message: string): UsageError {
  return new UsageError(message, 'Run `ponder eval --help`.');
}

function wholeNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw usageError(`--${name} must be a whole number, not "${value}".`);
  return Number(value);
}

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m ${seconds % 60}s` : `${seconds}s`;
}

function progressBar(io: CliIO): (progress: EvalProgress) => void {
  const stream = io.stderr as NodeJS.WritableStream & { isTTY?: boolean };
  return ({ done, total, etaMs }) => {
    if (!stream.isTTY) return;
    const fraction = total ? done / total : 1;
    const bar = '#'.repeat(Math.round(fraction * 24)).padEnd(24, '.');
    const eta = etaMs === undefined ? '' : `  ETA ${duration(etaMs)}`;
    stream.write(`\r[${bar}] ${done}/${total} ${Math.floor(fraction * 100)}%${eta}    `);
    if (done === total) stream.write('\n');
  };
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const partial = `${path}.writing-${process.pid}`;
  await writeFile(partial, text);
  await rename(partial, path);
}

export const evalCommand: CliCommand = {
  name: 'eval',
  summary: 'evaluate the base model and adapters on a JSONL data set',
  usage: USAGE,
  async run(argv, io) {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: false, strict: true });
    } catch (error) {
      throw usageErrorFromParseArgs(error, 'eval');
    }
    const { values } = parsed;
    if (values.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (!values.data) throw usageError('--data FILE.jsonl is required.');
    const eval_ = await import('../../eval');
    const modes = (values.modes ?? eval_.EVAL_MODES.join(','))
      .split(',')
      .map((mode) => mode.trim());
    const unknown = modes.filter((mode) => !(eval_.EVAL_MODES as readonly string[]).includes(mode));
    if (unknown.length || modes.length === 0) {
      throw usageError(
        `--modes takes ${eval_.EVAL_MODES.join(', ')}; "${unknown.join(', ')}" is not one.`,
      );
    }
    const limit = wholeNumber('limit', values.limit);
    const maxTokens = wholeNumber('max-tokens', values['max-tokens']);
    const seed = wholeNumber('seed', values.seed);
    const temperature = values.temperature === undefined ? 0 : Number(values.temperature);
    if (!Number.isFinite(temperature) || temperature < 0 || temperature > 2) {
      throw usageError(`--temperature must be a number from 0 to 2, not "${values.temperature}".`);
    }
    const gpuLayers =
      values['gpu-layers'] === 'auto' ? 'auto' : wholeNumber('gpu-layers', values['gpu-layers']);

    const data = await eval_.loadEvalData(values.data);
    if (limit !== undefined) data.items = data.items.slice(0, limit);
    const outDir = resolve(
      values.out ??
        join(dirname(values.data), `${basename(values.data).replace(/\.jsonl?$/, '')}-eval`),
    );

    // Results of another data file in that folder are refused before anything loads.
    await eval_.readSavedAnswers(outDir, data);

    const { resolveConfig, noModelError } = await import('../../config');
    const config = resolveConfig(
      {
        ...(values.model ? { model: values.model } : {}),
        ...(values.sft ? { sft: values.sft } : {}),
        ...(values.grpo ? { grpo: values.grpo } : {}),
        ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
        ...(values.threads ? { threads: wholeNumber('threads', values.threads) } : {}),
        ...(values['context-size']
          ? { contextSize: wholeNumber('context-size', values['context-size']) }
          : {}),
        ...(gpuLayers !== undefined ? { gpuLayers } : {}),
        ...(values['embedding-model'] ? { embeddingModel: values['embedding-model'] } : {}),
      },
      io.env,
    );
    if (!config.modelPath) throw noModelError();
    const adapters = {
      ...(config.sftPath ? { sft: config.sftPath } : {}),
      ...(config.grpoPath ? { grpo: config.grpoPath } : {}),
    };
    if (modes.includes('chat') && !adapters.sft)
      io.stderr.write('ponder eval: no SFT adapter: chat runs on the base model.\n');
    if (modes.includes('reasoning') && !adapters.grpo)
      io.stderr.write('ponder eval: no GRPO adapter: reasoning runs on the base model.\n');

    const { similarity, similarityModel, dispose } = await similarityMeasure(
      config.embeddingModelDir,
      config.dataDir,
      io,
    );
    const { nodeEngineFactory } = await import('../../model-host');
    const factory = nodeEngineFactory({}, io.env);
    try {
      const result = await eval_.runEval({
        data,
        modes: modes as EvalMode[],
        outDir,
        createEngine: (withAdapters) =>
          factory({
            modelPath: config.modelPath as string,
            adapters: withAdapters ? adapters : {},
            contextSize: config.contextSize,
            gpuLayers: config.gpuLayers,
            ...(config.threads ? { threads: config.threads } : {}),
          }),
        ...(similarity ? { similarity } : {}),
        temperature,
        ...(maxTokens === undefined ? {} : { maxTokens }),
        ...(seed === undefined ? {} : { seed }),
        signal: io.signal,
        onProgress: progressBar(io),
      });
      if (!result.complete) {
        const total = modes.length * data.items.length;
        const kept = result.answers.length
          ? `stopped after ${result.answers.length} of ${total} answers, kept in ${join(outDir, eval_.ANSWERS_FILE)}; run the same command again to continue.`
          : `stopped before the first of ${total} answers; nothing was saved.`;
        io.stderr.write(`\nponder eval: ${kept}\n`);
        return EXIT_CANCELLED;
      }
      const wanted = new Set(data.items.map((item) => item.index));
      const report: EvalReport = {
        data: resolve(values.data),
        dataSha256: data.sha256,
        model: config.modelPath,
        adapters,
        similarityModel,
        createdAt: new Date().toISOString(),
        modes: (modes as EvalMode[]).map((mode) =>
          eval_.summarizeMode(
            mode,
            result.answers.filter((answer) => answer.mode === mode && wanted.has(answer.index)),
            data.items,
          ),
        ),
      };
      await writeAtomically(join(outDir, 'eval.json'), `${JSON.stringify(report, null, 2)}\n`);
      await writeAtomically(
        join(outDir, 'eval.svg'),
        eval_.renderEvalChart(report.modes, `Ponder evaluation: ${basename(values.data)}`),
      );
      io.stdout.write(`${eval_.formatEvalTable(report.modes)}\n`);
      if (!similarity)
        io.stdout.write('Similarity n/a: no embedding model (pass --embedding-model DIR).\n');
      io.stdout.write(`Wrote ${join(outDir, 'eval.json')} and ${join(outDir, 'eval.svg')}.\n`);
      return 0;
    } finally {
      await dispose();
    }
  },
};

/** Cosine similarity through the embedder when a local model is there; never downloads. */
async function similarityMeasure(
  modelDir: string | undefined,
  dataDir: string,
  io: CliIO,
): Promise<{
  similarity: ((a: string, b: string) => Promise<number>) | undefined;
  similarityModel: string | null;
  dispose: () => Promise<void>;
}> {
  const { Embedder, cosine, DEFAULT_EMBEDDING_MODEL } = await import('../../rag/rank/embedder');
  const embedder = new Embedder({
    dataDir,
    allowDownload: false,
    ...(modelDir ? { modelDir } : {}),
  });
  try {
    await embedder.load(io.signal);
  } catch {
    await embedder.dispose();
    return { similarity: undefined, similarityModel: null, dispose: async () => undefined };
  }
  return {
    similarity: async (a, b) => {
      const [left, right] = await embedder.embed([a, b]);
      return left && right ? cosine(left, right) : 0;
    },
    similarityModel: modelDir ?? DEFAULT_EMBEDDING_MODEL,
    dispose: () => embedder.dispose(),
  };
}
