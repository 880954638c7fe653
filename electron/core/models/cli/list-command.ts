import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIO } from '../../cli/cli-command';
import { loadCatalog } from '../catalog/catalog';
import { defaultModelsDir } from '../download/download-model';
import { resolveModelUri } from '../download/resolve-model-uri';
import { formatBytes } from '../gguf/gguf-errors';

/** `ponder models list`: the catalog, each model's size and whether it is in the models folder. */
export async function listCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' } } });
  const catalog = await loadCatalog();
  const dir = defaultModelsDir(io.env);
  const rows = catalog.models.map((model) => {
    const paths = model.files.map((file) => join(dir, resolveModelUri(file.uri, io.env).fileName));
    const size = model.files.reduce((sum, file) => sum + (file.sizeBytes ?? 0), 0);
    const downloaded = paths.every((path) => existsSync(path));
    return { ...model, sizeBytes: size, downloaded, path: paths[0] };
  });
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ dir, models: rows }, null, 2)}\n`);
    return 0;
  }
  const lines = rows.map((row) => {
    const status = row.downloaded ? `downloaded: ${row.path}` : 'not downloaded';
    const star = row.recommended ? ' (recommended)' : '';
    return `${row.id.padEnd(32)} ${formatBytes(row.sizeBytes).padStart(9)}  ${row.name}${star}\n${' '.repeat(44)}${status}`;
  });
  io.stdout.write(
    `${lines.join('\n')}\n\nModels folder: ${dir}\nDownload with: ponder models download ID\n`,
  );
  return 0;
}
