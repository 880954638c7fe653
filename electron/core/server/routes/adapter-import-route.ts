import { z } from 'zod';
import type { AdapterImportInput, AdapterImportResult } from '../../../shared';
import { importAndCheckAdapter } from '../../models/peft';
import { clientSignal } from '../client-signal';
import type { Route } from '../router';
import { sendJson } from '../send-json';
import type { RequestContext } from '../server-context';
import { validate } from '../validate';

const pathSchema = z.string().trim().min(1).max(4096);
export const adapterImportSchema = z.strictObject({ dir: pathSchema, basePath: pathSchema });

/**
 * Imports a trained PEFT adapter folder for a base model, as `ponder adapters import DIR --base
 * MODEL` does: the GGUF adapter is written beside the folder (never over an existing file) and
 * checked as the engine checks it. Throws the PonderError a person can act on.
 */
export async function importAdapter(
  input: AdapterImportInput,
  signal?: AbortSignal,
): Promise<AdapterImportResult> {
  const result = await importAndCheckAdapter({
    dir: input.dir,
    base: input.basePath,
    ...(signal ? { signal } : {}),
  });
  const { out, bytes, pairs, alpha, warnings } = result;
  return { out, bytes, pairs, alpha, warnings };
}

/** `POST /api/adapters/import`: Settings → Adapters → Import a trained adapter folder. */
export const adapterImportRoutes: readonly Route<RequestContext>[] = [
  {
    method: 'POST',
    path: '/api/adapters/import',
    async handle(context) {
      const input = validate(adapterImportSchema, await context.body());
      // A closed page stops the import; the partial file is removed.
      const result = await importAdapter(input, clientSignal(context.response));
      sendJson(context.response, 200, result);
    },
  },
];
