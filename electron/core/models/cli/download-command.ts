import { parseArgs } from 'node:util';
import type { CliIO } from '../../cli/cli-command';
import { formatBytes } from '../gguf/gguf-errors';
import { downloadModel } from '../download/download-model';
import { progressLine } from './progress-bar';

export const DOWNLOAD_USAGE = 'ponder models download ID|hf:OWNER/REPO/FILE [--to DIR]';

/** `ponder models download`: one progress line on stderr, the model's path on stdout. */
export async function downloadCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { to: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [target, extra] = positionals;
  if (values.help) {
    io.stdout.write(`Usage: ${DOWNLOAD_USAGE}\n`);
    return 0;
  }
  if (!target || extra !== undefined) {
    io.stderr.write(`Usage: ${DOWNLOAD_USAGE}\n`);
    return 2;
  }
  const line = progressLine((text) => io.stderr.write(text));
  try {
    const model = await downloadModel(target, {
      env: io.env,
      signal: io.signal,
      onProgress: (progress) => line.update(progress),
      ...(values.to ? { dir: values.to } : {}),
    });
    line.end();
    const size = formatBytes(model.summary.fileSize);
    io.stderr.write(
      `Downloaded ${model.summary.architecture} ${model.summary.fileType} (${size}).\n`,
    );
    io.stdout.write(`${model.path}\n`);
    return 0;
  } catch (error) {
    line.end();
    throw error;
  }
}
