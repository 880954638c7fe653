import type { EvalModeSummary } from './eval-types';

const percent = (part: number, whole: number): string =>
  whole ? `${Math.round((part / whole) * 100)}%` : '–';

/** The results as a plain-text table, one row per mode, like the paper's. */
export function formatEvalTable(modes: EvalModeSummary[]): string {
  const header = [
    'Mode',
    'Adapter',
    'Items',
    'Format exact/partial/none',
    'ROUGE-L',
    'BLEU',
    'Reasoning tokens',
    'Similarity',
    'Tokens/s',
  ];
  const rows = modes.map((row) => [
    row.mode,
    row.adapter,
    String(row.items),
    `${percent(row.compliance.exact, row.items)} / ${percent(row.compliance.partial, row.items)} / ${percent(row.compliance.none, row.items)}`,
    row.rougeL.toFixed(3),
    row.bleu.toFixed(2),
    row.reasoningTokens.toFixed(1),
    row.similarity === null ? 'n/a' : row.similarity.toFixed(3),
    row.tokensPerSecond.toFixed(1),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
