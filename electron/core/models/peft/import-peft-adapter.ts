import { access, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { PonderError } from '../../errors';
import { kv, writeGguf } from '../gguf/gguf-writer';
import { readGgufSummary } from '../gguf/gguf-summary';
import { readSafetensorsHeader, readTensorValues } from '../safetensors';
import type { SafetensorsTensor } from '../safetensors';
import { baseNameWarning, checkAgainstBase } from './check-against-base';
import { foldFactor, ggufAlpha } from './lora-scale';
import { loraPairs } from './lora-pairs';
import { readBaseTensors } from './read-base-tensors';
import { parsePeftConfig } from './peft-config';

export interface ImportPeftOptions {
  /** The folder save_pretrained wrote. */
  dir: string;
  /** The base GGUF the adapter will run on. */
  base: string;
  /** @default `<dir>/<name>-F16-LoRA.gguf` */
  out?: string;
  /** general.name of the adapter. @default the folder's name */
  name?: string;
  /** @default 'F16' */
  type?: 'F16' | 'F32';
  /** Replace an existing output file. */
  overwrite?: boolean;
  signal?: AbortSignal;
  onProgress?: (written: number, total: number) => void;
}

export interface ImportPeftResult {
  out: string;
  bytes: number;
  /** Adapted base tensors. */
  pairs: number;
  /** The GGUF's adapter.lora.alpha. */
  alpha: number;
  /** Pairs whose lora_b carries a folded scale factor (rsLoRA, rank_pattern, alpha_pattern). */
  folded: number;
  /** Things worth telling the person that do not stop the import. */
  warnings: string[];
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function readConfig(dir: string): Promise<Buffer> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new PonderError('not-found', `Adapter folder not found: ${dir}`, {
      hint: 'Pass the folder save_pretrained wrote (adapter_config.json and adapter_model.safetensors).',
    });
  }
  const configPath = join(dir, 'adapter_config.json');
  if (!(await exists(configPath))) {
    throw new PonderError(
      'not-found',
      `${dir} has no adapter_config.json, so it is not a PEFT adapter folder.`,
      {
        hint: 'Pass the folder save_pretrained wrote.',
      },
    );
  }
  return readFile(configPath);
}

async function weightsPath(dir: string): Promise<string> {
  const safetensors = join(dir, 'adapter_model.safetensors');
  if (await exists(safetensors)) return safetensors;
  if (await exists(join(dir, 'adapter_model.bin'))) {
    throw new PonderError(
      'invalid-input',
      `${dir} holds adapter_model.bin, a Python pickle, which Ponder never opens: unpickling can run code.`,
      {
        hint: 'Save the adapter as safetensors: model.save_pretrained(dir, safe_serialization=True).',
      },
    );
  }
  throw new PonderError('not-found', `${dir} has no adapter_model.safetensors.`, {
    hint: 'Copy the whole folder save_pretrained wrote.',
  });
}

/** F16's largest finite value: anything beyond would silently become infinity in the file. */
const F16_MAX = 65504;

/** Streams one tensor, multiplying it by `factor` (1 leaves the values untouched). */
function scaled(
  path: string,
  tensor: SafetensorsTensor,
  factor: number,
  type: 'F16' | 'F32',
): () => AsyncIterable<Float32Array> {
  return async function* () {
    for await (const chunk of readTensorValues(path, tensor)) {
      for (let index = 0; index < chunk.length; index++) {
        const value = (chunk[index] ?? 0) * factor;
        chunk[index] = value;
        if (type === 'F16' && !(Math.abs(value) <= F16_MAX)) {
          throw new PonderError(
            'invalid-input',
            `${tensor.name} holds ${value}, which F16 cannot store; nothing was written.`,
            { hint: 'Import it again with --f32.' },
          );
        }
      }
      yield chunk;
    }
  };
}

/** fsync a file or folder so a rename is durable across a power cut. */
async function syncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } catch {
    // Some platforms (Windows folders) cannot fsync a directory; the rename is still atomic.
  } finally {
    await handle.close();
  }
}

/**
 * Converts a PEFT LoRA folder into a llama.cpp GGUF adapter for `base`, with no Python: reads the
 * config (refusing what is not a plain LoRA), streams the safetensors tensors, checks every pair
 * against the base, keeps PEFT's scale exact per module, and writes the file atomically.
 */
export async function importPeftAdapter(options: ImportPeftOptions): Promise<ImportPeftResult> {
  const dir = resolve(options.dir);
  const config = parsePeftConfig(await readConfig(dir), join(dir, 'adapter_config.json'));
  const weights = await weightsPath(dir);
  const header = await readSafetensorsHeader(weights);
  const pairs = loraPairs(header.tensors);
  const firstPart = await readGgufSummary(options.base);
  // The whole model's tensors, whichever part of a split model holds them.
  const base = { ...firstPart, tensors: await readBaseTensors(firstPart) };
  checkAgainstBase(base, config, pairs);

  const type = options.type ?? 'F16';
  const name = options.name ?? basename(dir);
  const out = resolve(options.out ?? join(dir, `${name}-${type}-LoRA.gguf`));
  if (!options.overwrite && (await exists(out))) {
    throw new PonderError('invalid-input', `${out} already exists; nothing was written.`, {
      hint: 'Choose another --out, or pass --force to replace it.',
    });
  }
  const alpha = ggufAlpha(config);
  let folded = 0;
  const tensors = pairs.flatMap((pair) => {
    const factor = foldFactor(config, pair.modulePath, alpha);
    if (factor !== 1) folded++;
    return [
      {
        name: `${pair.target}.lora_a`,
        shape: [pair.inFeatures, pair.rank],
        type,
        values: scaled(weights, pair.a, 1, type),
      },
      {
        name: `${pair.target}.lora_b`,
        shape: [pair.rank, pair.outFeatures],
        type,
        values: scaled(weights, pair.b, factor, type),
      },
    ];
  });
  const warning = baseNameWarning(base, config);
  const temporary = join(dirname(out), `.${basename(out)}.importing-${process.pid}`);
  try {
    const bytes = await writeGguf(temporary, {
      metadata: {
        'general.architecture': base.architecture,
        'general.type': 'adapter',
        'general.name': name,
        'adapter.type': 'lora',
        'adapter.lora.alpha': kv.float32(alpha),
        'ponder.peft.config_sha256': config.sha256,
        'ponder.peft.version': config.peftVersion ?? 'unknown',
        'ponder.peft.base_model': config.baseModel ?? 'unknown',
        'ponder.peft.use_rslora': config.useRslora,
      },
      tensors,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    await syncPath(temporary);
    await rename(temporary, out);
    await syncPath(dirname(out));
    return { out, bytes, pairs: pairs.length, alpha, folded, warnings: warning ? [warning] : [] };
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
