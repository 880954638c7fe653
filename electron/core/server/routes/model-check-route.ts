import { z } from 'zod';
import type { ModelFileCheck, ModelFilesInput } from '../../../shared';
import { PonderError } from '../../errors';
import { assertAdapterFits, readBaseTensors, readGgufSummary } from '../../models';
import type { Route } from '../router';
import { sendJson } from '../send-json';
import type { RequestContext } from '../server-context';
import { validate } from '../validate';

const pathSchema = z.string().trim().min(1).max(4096);
export const modelFilesSchema = z.strictObject({
  modelPath: pathSchema,
  sftPath: pathSchema.nullable().optional(),
  grpoPath: pathSchema.nullable().optional(),
});

/**
 * Reads the GGUF headers of a chosen model and its adapters, before they are saved: the file
 * exists, is a base model (not an adapter or a part of a split model), and each adapter was made
 * for it. Throws the PonderError a person can act on.
 */
export async function checkModelFiles(input: ModelFilesInput): Promise<ModelFileCheck> {
  const base = await readGgufSummary(input.modelPath);
  if (base.type === 'adapter') {
    throw new PonderError('model-invalid', `${input.modelPath} is a LoRA adapter, not a model.`, {
      hint: 'Choose the base model here, and the adapter under its mode.',
    });
  }
  // A split model's first file lists only its own tensors: the adapters are checked against all.
  const adapterPaths = [input.sftPath, input.grpoPath].filter(Boolean);
  const wholeBase =
    adapterPaths.length > 0 ? { ...base, tensors: await readBaseTensors(base) } : base;
  for (const adapterPath of adapterPaths) {
    if (!adapterPath) continue;
    const adapter = await readGgufSummary(adapterPath);
    if (adapter.type !== 'adapter') {
      throw new PonderError('adapter-mismatch', `${adapterPath} is a model, not a LoRA adapter.`);
    }
    assertAdapterFits(wholeBase, adapter);
  }
  return {
    architecture: base.architecture,
    ...(base.name ? { name: base.name } : {}),
    fileType: base.fileType,
  };
}

/** `POST /api/models/check`: the same check the window runs before saving a model path. */
export const modelCheckRoutes: readonly Route<RequestContext>[] = [
  {
    method: 'POST',
    path: '/api/models/check',
    async handle(context) {
      const input = validate(modelFilesSchema, await context.body());
      sendJson(context.response, 200, await checkModelFiles(input));
    },
  },
];
