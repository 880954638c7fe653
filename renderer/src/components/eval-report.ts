/**
 * Reads the `eval.json` that `ponder eval` writes, in the renderer: the shape is checked field by
 * field so a wrong or damaged file gives one line a person can act on instead of a blank report.
 */
export interface EvalReportRow {
  mode: string;
  adapter: string;
  items: number;
  compliance: { exact: number; partial: number; none: number };
  rougeL: number;
  bleu: number;
  reasoningTokens: number;
  similarity: number | null;
  tokensPerSecond: number;
}

export interface EvalReportView {
  data: string;
  model: string;
  createdAt: string;
  similarityModel: string | null;
  modes: EvalReportRow[];
}

export type ParsedEvalReport =
  { ok: true; report: EvalReportView } | { ok: false; message: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

function row(value: unknown, index: number): EvalReportRow | string {
  if (!isRecord(value)) return `mode ${index + 1} is not an object`;
  const {
    mode,
    adapter,
    items,
    compliance,
    rougeL,
    bleu,
    reasoningTokens,
    similarity,
    tokensPerSecond,
  } = value;
  if (typeof mode !== 'string' || typeof adapter !== 'string')
    return `mode ${index + 1} has no name or adapter`;
  if (![items, rougeL, bleu, reasoningTokens, tokensPerSecond].every(isNumber)) {
    return `mode "${mode}" is missing a number`;
  }
  if (similarity !== null && !isNumber(similarity)) return `mode "${mode}" has a bad similarity`;
  if (
    !isRecord(compliance) ||
    ![compliance.exact, compliance.partial, compliance.none].every(isNumber)
  ) {
    return `mode "${mode}" has no format compliance counts`;
  }
  return {
    mode,
    adapter,
    items: items as number,
    compliance: compliance as EvalReportRow['compliance'],
    rougeL: rougeL as number,
    bleu: bleu as number,
    reasoningTokens: reasoningTokens as number,
    similarity: similarity as number | null,
    tokensPerSecond: tokensPerSecond as number,
  };
}

export function parseEvalReport(text: string, fileName = 'The file'): ParsedEvalReport {
  const fail = (detail: string): ParsedEvalReport => ({
    ok: false,
    message: `${fileName} is not an evaluation report from \`ponder eval\` (${detail}).`,
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail('not JSON');
  }
  if (!isRecord(parsed) || !Array.isArray(parsed.modes)) return fail('no "modes" list');
  const modes: EvalReportRow[] = [];
  for (const [index, value] of parsed.modes.entries()) {
    const result = row(value, index);
    if (typeof result === 'string') return fail(result);
    modes.push(result);
  }
  if (modes.length === 0) return fail('no modes were evaluated');
  const text_ = (value: unknown): string => (typeof value === 'string' ? value : '');
  return {
    ok: true,
    report: {
      data: text_(parsed.data),
      model: text_(parsed.model),
      createdAt: text_(parsed.createdAt),
      similarityModel: typeof parsed.similarityModel === 'string' ? parsed.similarityModel : null,
      modes,
    },
  };
}

/** The chart's quality bars (0–100) per mode, like the paper's dashboard. */
export function qualityBars(row: EvalReportRow): { label: string; value: number | null }[] {
  return [
    { label: 'Format exact %', value: row.items ? (row.compliance.exact / row.items) * 100 : 0 },
    { label: 'ROUGE-L ×100', value: row.rougeL * 100 },
    { label: 'BLEU', value: row.bleu },
    { label: 'Similarity ×100', value: row.similarity === null ? null : row.similarity * 100 },
  ];
}
