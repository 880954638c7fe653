import { stat } from 'node:fs/promises';
import type { AdapterRole, AppError } from '../../shared';
import { PonderError, toAppError } from '../errors';
import { assertAdapterFits, readBaseTensors, readGgufSummary } from '../models';
import type { GgufSummary } from '../models';

export interface CheckedFiles {
  base: GgufSummary;
  /** Adapters that fit the base. */
  adapters: Partial<Record<AdapterRole, string>>;
  /** Configured adapters that cannot be used, and why. */
  adapterErrors: Partial<Record<AdapterRole, AppError>>;
}

const ADAPTER_LABEL: Record<AdapterRole, { name: string; flag: string; env: string }> = {
  sft: { name: 'SFT (Fast Chat)', flag: '--sft', env: 'PONDER_SFT' },
  grpo: { name: 'GRPO (Deep Reasoning)', flag: '--grpo', env: 'PONDER_GRPO' },
};

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Reads and checks the headers of the base model and every adapter before llama.cpp sees them: a
 * truncated or lying header makes llama.cpp hang or crash, and a mismatched adapter gives garbage.
 * The base must be sound (it throws); an unusable adapter only disables its modes.
 */
export async function checkModelFiles(
  modelPath: string,
  adapterPaths: Partial<Record<AdapterRole, string>> = {},
): Promise<CheckedFiles> {
  const base = await readGgufSummary(modelPath);
  if (base.type === 'adapter') {
    throw new PonderError('model-invalid', `${modelPath} is a LoRA adapter, not a base model.`, {
      hint: 'Pass the base model with --model and the adapter with --sft or --grpo.',
    });
  }
  // A split model's first file lists only its own tensors and an adapter may adapt one in another
  // part, so adapters are checked against the tensors of every part (a missing part is the base's
  // problem: llama.cpp could not load it either).
  const wholeBase = Object.values(adapterPaths).some(Boolean)
    ? { ...base, tensors: await readBaseTensors(base) }
    : base;
  const adapters: Partial<Record<AdapterRole, string>> = {};
  const adapterErrors: Partial<Record<AdapterRole, AppError>> = {};
  for (const role of Object.keys(ADAPTER_LABEL) as AdapterRole[]) {
    const path = adapterPaths[role];
    if (!path) continue;
    const label = ADAPTER_LABEL[role];
    if (!(await isFile(path))) {
      adapterErrors[role] = {
        code: 'adapter-missing',
        message: `${label.name} adapter not found: ${path}`,
        hint: `Check ${label.flag} / ${label.env} or the adapter path in Settings, or leave it unset to run that mode on the base model.`,
      };
      continue;
    }
    try {
      assertAdapterFits(wholeBase, await readGgufSummary(path));
      adapters[role] = path;
    } catch (error) {
      adapterErrors[role] = toAppError(error);
    }
  }
  return { base, adapters, adapterErrors };
}
