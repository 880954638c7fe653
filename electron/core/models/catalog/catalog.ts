import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { PonderError } from '../../errors';

const CatalogFileSchema = z.object({
  /** `hf:OWNER/REPO/FILE` or an https URL. */
  uri: z.string().min(1),
  /** Known size, for progress before the server answers; the server's length wins. */
  sizeBytes: z.number().int().positive().optional(),
  /** Lower-case hex; checked after download when present. Never guessed. */
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});

const CatalogModelSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
  name: z.string(),
  description: z.string(),
  role: z.enum(['base', 'adapter']),
  architecture: z.string(),
  quantisation: z.string(),
  contextLength: z.number().int().positive().optional(),
  license: z.string().optional(),
  recommended: z.boolean().default(false),
  /**
   * A base model: the Hugging Face model adapters must be trained on to fit it (PEFT's
   * base_model_name_or_path), e.g. `Qwen/Qwen2.5-7B`; an Instruct adapter does not fit the base.
   */
  adaptersTrainedOn: z.string().min(1).optional(),
  /** Split models list every part; llama.cpp loads the first and finds the rest beside it. */
  files: z.array(CatalogFileSchema).min(1),
});

const CatalogSchema = z.object({
  version: z.literal(1),
  models: z.array(CatalogModelSchema),
});

export type CatalogFile = z.infer<typeof CatalogFileSchema>;
export type CatalogModel = z.infer<typeof CatalogModelSchema>;
export type Catalog = z.infer<typeof CatalogSchema>;

/**
 * Where catalog.json is: PONDER_CATALOG, else the packaged app's resources folder, else the
 * nearest `models/catalog.json` above this module (source tree or bundled out/main).
 */
export function defaultCatalogPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PONDER_CATALOG) return env.PONDER_CATALOG;
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources && existsSync(join(resources, 'catalog.json')))
    return join(resources, 'catalog.json');
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 8; depth++) {
    const candidate = join(dir, 'models', 'catalog.json');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return join(process.cwd(), 'models', 'catalog.json');
}

export async function loadCatalog(path = defaultCatalogPath()): Promise<Catalog> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new PonderError('not-found', `The model catalog is missing: ${path}`, {
      hint: 'Reinstall Ponder, or set PONDER_CATALOG to a catalog.json.',
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new PonderError(
      'internal',
      `The model catalog ${path} is not valid JSON: ${(error as Error).message}`,
    );
  }
  const result = CatalogSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new PonderError(
      'internal',
      `The model catalog ${path} is invalid at ${issue?.path.join('.') || 'the top'}: ${issue?.message ?? 'unknown problem'}`,
    );
  }
  return result.data;
}

export function findCatalogModel(catalog: Catalog, id: string): CatalogModel {
  const model = catalog.models.find((entry) => entry.id === id);
  if (!model) {
    throw new PonderError('not-found', `No model "${id}" in the catalog`, {
      hint: `Known: ${catalog.models.map((entry) => entry.id).join(', ')}; or pass hf:OWNER/REPO/FILE.`,
    });
  }
  return model;
}
