import { assertAdapterFits } from '../gguf/assert-adapter-fits';
import { readGgufSummary } from '../gguf/gguf-summary';
import { importPeftAdapter } from './import-peft-adapter';
import type { ImportPeftOptions, ImportPeftResult } from './import-peft-adapter';
import { readBaseTensors } from './read-base-tensors';

/**
 * Imports a PEFT folder, then makes the check the engine makes before it loads an adapter on the
 * file just written (every part of a split base included): what `ponder adapters import` and
 * Settings → Adapters both run, so an import that succeeds is one the engine will accept.
 */
export async function importAndCheckAdapter(options: ImportPeftOptions): Promise<ImportPeftResult> {
  const result = await importPeftAdapter(options);
  const base = await readGgufSummary(options.base);
  assertAdapterFits(
    { ...base, tensors: await readBaseTensors(base) },
    await readGgufSummary(result.out),
  );
  return result;
}
