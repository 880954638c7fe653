import { z } from 'zod';
import type {
  AdapterImportInput,
  AdapterImportProgress,
  AdapterImportResult,
} from '../../../shared';
import { toAppError } from '../../errors';
import { importAndCheckAdapter } from '../../models/peft';
import type { Route } from '../router';
import { openSseStream } from '../sse-stream';
import type { RequestContext } from '../server-context';
import { validate } from '../validate';

const pathSchema = z.string().trim().min(1).max(4096);
export const adapterImportSchema = z.strictObject({ dir: pathSchema, basePath: pathSchema });

export interface AdapterImportOptions {
  signal?: AbortSignal;
  onProgress?: (progress: AdapterImportProgress) => void;
}

/**
 * Imports a trained PEFT adapter folder for a base model, as `ponder adapters import DIR --base
 * MODEL` does: the GGUF adapter is written beside the folder (never over an existing file) and
 * checked as the engine checks it. Throws the PonderError a person can act on.
 */
export async function importAdapter(
  input: AdapterImportInput,
  options: AdapterImportOptions = {},
): Promise<AdapterImportResult> {
  const { onProgress, signal } = options;
  const result = await importAndCheckAdapter({
    dir: input.dir,
    base: input.basePath,
    ...(signal ? { signal } : {}),
    ...(onProgress
      ? { onProgress: (writtenBytes, totalBytes) => onProgress({ writtenBytes, totalBytes }) }
      : {}),
  });
  const { out, bytes, pairs, alpha, warnings } = result;
  return { out, bytes, pairs, alpha, warnings };
}

/**
 * `POST /api/adapters/import`: Settings → Adapters → Import a trained adapter folder. Answers with
 * server-sent events: `progress` (bytes written), then `done` with the result or `error`; a closed
 * connection stops the import and removes the partial file.
 */
export const adapterImportRoutes: readonly Route<RequestContext>[] = [
  {
    method: 'POST',
    path: '/api/adapters/import',
    async handle(context) {
      const input = validate(adapterImportSchema, await context.body());
      const stream = openSseStream(context.response);
      try {
        const result = await importAdapter(input, {
          signal: stream.signal,
          onProgress: (progress) => void stream.send({ type: 'progress', ...progress }),
        });
        await stream.send({ type: 'done', result });
      } catch (error) {
        await stream.send({ type: 'error', error: toAppError(error) });
      } finally {
        stream.end();
      }
    },
  },
];
