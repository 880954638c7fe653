import type { EvalMode, EvalModeSummary } from './eval-types';

const COLORS: Record<EvalMode, string> = { base: '#9aa5b1', chat: '#3b82f6', reasoning: '#f59e0b' };
const WIDTH = 900;
const PANEL_HEIGHT = 220;

const escapeXml = (text: string): string =>
  text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );

interface Panel {
  title: string;
  groups: { label: string; values: { mode: EvalMode; value: number | null }[] }[];
  /** The value at the top of the axis. */
  max: number;
  format: (value: number) => string;
}

function renderPanel(panel: Panel, top: number, modes: EvalMode[]): string {
  const left = 60;
  const plotWidth = WIDTH - left - 20;
  const plotTop = top + 44;
  const plotHeight = PANEL_HEIGHT - 84;
  const groupWidth = plotWidth / panel.groups.length;
  const barWidth = Math.min(48, (groupWidth - 24) / modes.length);
  const parts = [
    `<text x="${left}" y="${top + 18}" font-size="15" font-weight="600">${escapeXml(panel.title)}</text>`,
    `<line x1="${left}" y1="${plotTop + plotHeight}" x2="${left + plotWidth}" y2="${plotTop + plotHeight}" stroke="#444"/>`,
  ];
  panel.groups.forEach((group, g) => {
    const groupLeft = left + g * groupWidth + (groupWidth - barWidth * modes.length) / 2;
    group.values.forEach(({ mode, value }, b) => {
      const x = groupLeft + b * barWidth;
      if (value === null) {
        parts.push(
          `<text x="${x + barWidth / 2}" y="${plotTop + plotHeight - 4}" font-size="11" text-anchor="middle" fill="#888">n/a</text>`,
        );
        return;
      }
      const height = panel.max > 0 ? (Math.min(value, panel.max) / panel.max) * plotHeight : 0;
      const y = plotTop + plotHeight - height;
      parts.push(
        `<rect x="${x + 2}" y="${y}" width="${barWidth - 4}" height="${height}" fill="${COLORS[mode]}"><title>${escapeXml(`${mode} ${group.label}: ${panel.format(value)}`)}</title></rect>`,
        `<text x="${x + barWidth / 2}" y="${y - 4}" font-size="11" text-anchor="middle">${escapeXml(panel.format(value))}</text>`,
      );
    });
    parts.push(
      `<text x="${left + g * groupWidth + groupWidth / 2}" y="${plotTop + plotHeight + 18}" font-size="12" text-anchor="middle">${escapeXml(group.label)}</text>`,
    );
  });
  return parts.join('\n');
}

/** An SVG comparison of the modes, like the paper's SFT-vs-GRPO dashboard: quality, reasoning length, speed. */
export function renderEvalChart(summaries: EvalModeSummary[], title: string): string {
  const modes = summaries.map((summary) => summary.mode);
  const values = (pick: (summary: EvalModeSummary) => number | null) =>
    summaries.map((summary) => ({ mode: summary.mode, value: pick(summary) }));
  const maxOf = (pick: (summary: EvalModeSummary) => number) =>
    Math.max(1, ...summaries.map(pick)) * 1.15;
  const panels: Panel[] = [
    {
      title: 'Quality against the references (0–100)',
      max: 100,
      format: (value) => value.toFixed(1),
      groups: [
        {
          label: 'Format exact %',
          values: values((s) => (s.items ? (s.compliance.exact / s.items) * 100 : 0)),
        },
        { label: 'ROUGE-L ×100', values: values((s) => s.rougeL * 100) },
        { label: 'BLEU', values: values((s) => s.bleu) },
        {
          label: 'Similarity ×100',
          values: values((s) => (s.similarity === null ? null : s.similarity * 100)),
        },
      ],
    },
    {
      title: 'Reasoning length (tokens, mean) and speed (tokens/s)',
      max: maxOf((s) => Math.max(s.reasoningTokens, s.tokensPerSecond)),
      format: (value) => value.toFixed(1),
      groups: [
        { label: 'Reasoning tokens', values: values((s) => s.reasoningTokens) },
        { label: 'Tokens/s', values: values((s) => s.tokensPerSecond) },
      ],
    },
  ];
  const legend = modes
    .map((mode, index) => {
      const x = 60 + index * 140;
      return `<rect x="${x}" y="40" width="14" height="14" fill="${COLORS[mode]}"/><text x="${x + 20}" y="52" font-size="13">${escapeXml(`${mode} (${summaries[index]?.adapter ?? ''})`)}</text>`;
    })
    .join('\n');
  const height = 70 + panels.length * PANEL_HEIGHT;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="60" y="26" font-size="18" font-weight="700">${escapeXml(title)}</text>`,
    legend,
    ...panels.map((panel, index) => renderPanel(panel, 70 + index * PANEL_HEIGHT, modes)),
    '</svg>',
    '',
  ].join('\n');
}
