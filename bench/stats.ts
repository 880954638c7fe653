export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function summarize(values: number[]): Summary {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { median: NaN, min: NaN, max: NaN, n: 0 };
  const mid = Math.floor(n / 2);
  const median = n % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return {
    median: round(median),
    min: round(sorted[0] ?? NaN),
    max: round(sorted[n - 1] ?? NaN),
    n,
  };
}

export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Resident memory not backed by files: everything but the mmapped model weights (Linux). */
export async function residentMemory(): Promise<{
  anonMb: number;
  fileMb: number;
  totalMb: number;
}> {
  const { readFile } = await import('node:fs/promises');
  try {
    const status = await readFile('/proc/self/status', 'utf8');
    const kb = (key: string): number =>
      Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return {
      anonMb: round(kb('RssAnon') / 1024, 1),
      fileMb: round(kb('RssFile') / 1024, 1),
      totalMb: round(kb('VmRSS') / 1024, 1),
    };
  } catch {
    const total = process.memoryUsage().rss / 2 ** 20;
    return { anonMb: round(total, 1), fileMb: 0, totalMb: round(total, 1) };
  }
}
