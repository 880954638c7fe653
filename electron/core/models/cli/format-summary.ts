import { formatBytes } from '../gguf/gguf-errors';
import { metadataNumber } from '../gguf/gguf-metadata';
import type { GgufSummary, LoraTarget } from '../gguf/gguf-summary';

/** Adapted tensors listed by name before the rest are counted. */
const LISTED_TARGETS = 4;

function row(label: string, value: string | number): string {
  return `  ${`${label}:`.padEnd(16)} ${value}`;
}

function shape(values: readonly number[] | undefined): string {
  return values ? `[${values.join(', ')}]` : '?';
}

function listTargets(targets: LoraTarget[], describe: (target: LoraTarget) => string): string {
  const listed = targets.slice(0, LISTED_TARGETS).map(describe).join(', ');
  const more = targets.length - LISTED_TARGETS;
  return more > 0 ? `${listed} and ${more} more` : listed;
}

/** What `ponder models inspect` prints for a person. `fit` is the verdict against --base. */
export function formatSummary(
  summary: GgufSummary,
  fit?: { base: string; error?: string },
): string {
  const lines = [
    summary.path,
    row('Kind', summary.type === 'adapter' ? 'LoRA adapter' : 'model'),
    row('Architecture', summary.architecture),
  ];
  if (summary.name) lines.push(row('Name', summary.name));
  lines.push(row('Size', `${formatBytes(summary.fileSize)} (${summary.fileSize} bytes)`));
  lines.push(row('Quantisation', summary.fileType));
  if (summary.type === 'model') {
    lines.push(row('Context length', summary.contextLength ?? 'not stated'));
    lines.push(row('Chat template', summary.hasChatTemplate ? 'yes' : 'no'));
  }
  lines.push(row('Tensors', summary.tensorCount));
  const splitCount = metadataNumber(summary.metadata, 'split.count') ?? 1;
  if (splitCount > 1) {
    const part = (metadataNumber(summary.metadata, 'split.no') ?? 0) + 1;
    lines.push(
      row('Split', `part ${part} of ${splitCount} (llama.cpp finds the others beside it)`),
    );
  }
  lines.push(row('GGUF version', summary.version));
  const lora = summary.adapter;
  if (lora) {
    lines.push(row('Adapter type', lora.adapterType ?? 'missing'));
    lines.push(row('Alpha', lora.loraAlpha));
    lines.push(row('Rank', lora.rank ?? 'unknown'));
    lines.push(
      row(
        'Targets',
        listTargets(lora.targets, (target) => target.name),
      ),
    );
    if (fit === undefined) {
      const expects = listTargets(
        lora.targets,
        (target) => `${target.name} ${shape(target.expectedBaseShape)}`,
      );
      lines.push(row('Fits', `a ${summary.architecture} base with ${expects}`));
    }
  }
  if (fit?.error) lines.push(row('Base', `does not fit ${fit.base}`), `  ${fit.error}`);
  else if (fit) lines.push(row('Base', `fits ${fit.base}`));
  return `${lines.join('\n')}\n`;
}
