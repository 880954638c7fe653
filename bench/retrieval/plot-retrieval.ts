import type { RetrievalEvalReport, RetrievalSummary } from './run-retrieval-eval';

const escapeXml = (text: string) =>
  text.replace(
    /[<>&"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c,
  );

const METRICS: { key: keyof RetrievalSummary; label: string; colour: string }[] = [
  { key: 'pageRecallAt5', label: 'page recall@5', colour: '#4e79a7' },
  { key: 'passageHit', label: 'passage hit', colour: '#59a14f' },
  { key: 'mrr', label: 'MRR', colour: '#f28e2b' },
];

/** Grouped bars of the three quality metrics, overall and per collection, with the timings. */
export function plotRetrieval(report: RetrievalEvalReport, title: string): string {
  const groups: [string, RetrievalSummary][] = [
    ['all', report],
    ...Object.entries(report.byCollection),
  ];
  const width = 120 + groups.length * 130;
  const height = 320;
  const chartTop = 50;
  const chartHeight = 200;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="14">${escapeXml(title)}: ${report.questions} questions, ranking ${escapeXml(report.method)}</text>`,
    `<text x="10" y="38">question→sources median ${report.medianWallMs} ms, p90 ${report.p90WallMs} ms, CPU ${report.medianCpuMs} ms; longest event-loop block ${report.maxLoopBlockMs} ms</text>`,
  ];
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    const y = chartTop + chartHeight * (1 - tick);
    parts.push(`<line x1="60" x2="${width - 10}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    parts.push(`<text x="55" y="${y + 4}" text-anchor="end">${tick * 100}%</text>`);
  }
  groups.forEach(([name, summary], g) => {
    const x0 = 80 + g * 130;
    METRICS.forEach((metric, m) => {
      const value = Number(summary[metric.key]);
      const barHeight = chartHeight * value;
      const x = x0 + m * 34;
      const y = chartTop + chartHeight - barHeight;
      parts.push(
        `<rect x="${x}" y="${y}" width="30" height="${barHeight}" fill="${metric.colour}"/>`,
      );
      parts.push(
        `<text x="${x + 15}" y="${y - 3}" text-anchor="middle" font-size="10">${Math.round(value * 100)}</text>`,
      );
    });
    parts.push(
      `<text x="${x0 + 50}" y="${chartTop + chartHeight + 16}" text-anchor="middle">${escapeXml(name)} (${summary.questions})</text>`,
    );
  });
  METRICS.forEach((metric, m) => {
    const x = 80 + m * 140;
    parts.push(
      `<rect x="${x}" y="${height - 30}" width="12" height="12" fill="${metric.colour}"/>`,
    );
    parts.push(`<text x="${x + 16}" y="${height - 20}">${metric.label}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
