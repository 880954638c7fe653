import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The issue-7 result schema, exactly. */
export interface BenchResult {
  machine: string;
  cpu: string;
  gpu: string | null;
  build: string;
  model: string;
  settings: Record<string, unknown>;
  metrics: {
    decode_tps: number | null;
    decode_tps_llama_bench: number | null;
    decode_ratio: number | null;
    prompt_tps: number | null;
    prompt_tps_llama_bench: number | null;
    prompt_ratio: number | null;
    ttft_ms_500: number | null;
    mode_switch_ms: number | null;
    mode_switch_first_token_ms?: number | null;
    same_mode_first_token_ms?: number | null;
    adapter_decode_ratio: number | null;
    /** Decode on a mode's merged model (fast modes) over the base's decode; absent in older results. */
    fast_mode_decode_ratio?: number | null;
    /** Warm mode switches with fast modes on (both models loaded); absent in older results. */
    fast_mode_switch_ms?: number | null;
    /** The merge's top-token agreement with base + runtime LoRA; absent in older results. */
    fast_mode_agreement?: number | null;
    /** Which loop generated (`native` or `javascript`); absent in older results. */
    decode_loop?: string;
    /** Decode with node-llama-cpp's loop in the same run, when the native loop served decode_tps. */
    decode_tps_javascript_loop?: number | null;
    decode_ratio_javascript_loop?: number | null;
    /** The native loop with its top-k picked on the host instead of the GPU, in the same run. */
    decode_tps_host_top_k?: number | null;
    decode_ratio_host_top_k?: number | null;
    rank20_ms: number | null;
    renderer_interactive_ms: number | null;
    rss_mb: number | null;
  };
}

const fmt = (value: number | null | undefined, digits = 1): string =>
  value == null || !Number.isFinite(value) ? '—' : value.toFixed(digits);

/** A bar chart of Ponder vs llama-bench (decode and prompt) per result, as self-contained SVG. */
export function plotSvg(
  results: BenchResult[],
  sweep?: { label: string; engine: Record<number, number>; raw: Record<number, number> },
): string {
  const rows = results.flatMap((r) => [
    {
      label: `${r.machine} · ${r.model} · decode`,
      ponder: r.metrics.decode_tps,
      raw: r.metrics.decode_tps_llama_bench,
    },
    {
      label: `${r.machine} · ${r.model} · prompt`,
      ponder: r.metrics.prompt_tps,
      raw: r.metrics.prompt_tps_llama_bench,
    },
  ]);
  const width = 900;
  const rowH = 46;
  const left = 330;
  const sweepH = sweep ? 240 : 0;
  const height = 60 + rows.length * rowH + sweepH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">Ponder engine vs raw llama.cpp (llama-bench), tokens/s — bar length relative to llama-bench</text>`,
    `<rect x="${left}" y="30" width="12" height="10" fill="#3b6fd8"/><text x="${left + 16}" y="39">Ponder</text>`,
    `<rect x="${left + 80}" y="30" width="12" height="10" fill="#aaa"/><text x="${left + 96}" y="39">llama-bench</text>`,
  ];
  rows.forEach((row, index) => {
    const y = 55 + index * rowH;
    const max = Math.max(row.ponder ?? 0, row.raw ?? 0) || 1;
    const scale = (width - left - 90) / max;
    parts.push(`<text x="10" y="${y + 15}">${row.label}</text>`);
    parts.push(
      `<rect x="${left}" y="${y}" width="${(row.raw ?? 0) * scale}" height="16" fill="#aaa"/>`,
    );
    parts.push(
      `<text x="${left + (row.raw ?? 0) * scale + 4}" y="${y + 12}">${fmt(row.raw)}</text>`,
    );
    parts.push(
      `<rect x="${left}" y="${y + 18}" width="${(row.ponder ?? 0) * scale}" height="16" fill="#3b6fd8"/>`,
    );
    const ratio = row.ponder && row.raw ? ` (${(row.ponder / row.raw).toFixed(2)}×)` : '';
    parts.push(
      `<text x="${left + (row.ponder ?? 0) * scale + 4}" y="${y + 30}">${fmt(row.ponder)}${ratio}</text>`,
    );
  });
  if (sweep) {
    const top = 60 + rows.length * rowH + 20;
    const threads = [
      ...new Set([...Object.keys(sweep.engine), ...Object.keys(sweep.raw)].map(Number)),
    ].sort((a, b) => a - b);
    const maxT = Math.max(...threads, 1);
    const maxV = Math.max(...Object.values(sweep.engine), ...Object.values(sweep.raw), 1);
    const x = (t: number): number => left + (t / maxT) * (width - left - 60);
    const y = (v: number): number => top + 180 - (v / maxV) * 170;
    parts.push(`<text x="10" y="${top + 10}" font-weight="bold">${sweep.label}</text>`);
    parts.push(`<text x="10" y="${top + 28}">CPU decode tokens/s by threads</text>`);
    for (const [series, color] of [
      [sweep.raw, '#aaa'],
      [sweep.engine, '#3b6fd8'],
    ] as const) {
      const points = threads
        .filter((t) => series[t] != null)
        .map((t) => `${x(t)},${y(series[t] ?? 0)}`);
      parts.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.join(' ')}"/>`,
      );
    }
    for (const t of threads) parts.push(`<text x="${x(t) - 4}" y="${top + 198}">${t}</text>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/** The latest result per machine and model as a Markdown table (bench/README.md). */
export function resultsTable(dir: string): string {
  const latest = new Map<string, BenchResult & { file: string }>();
  for (const file of readdirSync(dir).filter(
    (f) => /^\d{4}-\d\d-\d\d-.+\.json$/.test(f) && !f.includes('.details'),
  )) {
    const result = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as BenchResult;
    if (!result.metrics) continue;
    const key = `${result.machine}|${result.model}`;
    const previous = latest.get(key);
    if (!previous || previous.file < file) latest.set(key, { ...result, file });
  }
  const lines = [
    '| Machine | Model | Decode t/s (Ponder / llama-bench) | Ratio | Decode loop (JS-loop ratio) | Prompt t/s (Ponder / llama-bench) | Ratio | TTFT 500 tok ms | Mode switch ms | Adapter decode ratio | Fast mode decode ratio | Fast mode switch ms | Rank 20 ms | Renderer interactive ms | RSS MB | File |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of [...latest.values()].sort((a, b) => a.file.localeCompare(b.file))) {
    const m = r.metrics;
    lines.push(
      `| ${r.machine} | ${r.model} | ${fmt(m.decode_tps)} / ${fmt(m.decode_tps_llama_bench)} | ${fmt(m.decode_ratio, 3)} | ${m.decode_loop ?? 'javascript'}${m.decode_tps_javascript_loop ? ` (${fmt(m.decode_ratio_javascript_loop, 3)})` : ''} | ${fmt(m.prompt_tps)} / ${fmt(m.prompt_tps_llama_bench)} | ${fmt(m.prompt_ratio, 3)} | ${fmt(m.ttft_ms_500)} | ${fmt(m.mode_switch_ms, 2)} | ${fmt(m.adapter_decode_ratio, 3)} | ${fmt(m.fast_mode_decode_ratio, 3)} | ${fmt(m.fast_mode_switch_ms, 2)} | ${fmt(m.rank20_ms)} | ${fmt(m.renderer_interactive_ms)} | ${fmt(m.rss_mb, 0)} | ${r.file} |`,
    );
  }
  return lines.join('\n');
}

/** Replaces the table between the markers in bench/README.md. */
export function updateReadme(readme: string, dir: string): void {
  const text = readFileSync(readme, 'utf8');
  const start = '<!-- results:start -->';
  const end = '<!-- results:end -->';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < 0) return;
  writeFileSync(
    readme,
    `${text.slice(0, a + start.length)}\n${resultsTable(dir)}\n${text.slice(b)}`,
  );
}
