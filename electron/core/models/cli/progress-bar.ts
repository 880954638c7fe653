import { formatBytes } from '../gguf/gguf-errors';
import type { ModelDownloadProgress } from '../download/download-model';

const WIDTH = 24;

/** One terminal line: `[#######.....]  41%  1.1 GiB / 2.6 GiB  23.4 MiB/s  (part 1 of 2)`. */
export function formatProgress(progress: ModelDownloadProgress): string {
  const { overallBytes: bytes, overallTotal: total, rate, fileIndex, fileCount } = progress;
  const fraction = total ? Math.min(bytes / total, 1) : undefined;
  const bar =
    fraction === undefined
      ? ''
      : `[${'#'.repeat(Math.round(fraction * WIDTH)).padEnd(WIDTH, '.')}] ${`${Math.floor(fraction * 100)}%`.padStart(4)}  `;
  const amount = total ? `${formatBytes(bytes)} / ${formatBytes(total)}` : formatBytes(bytes);
  const speed = rate > 0 ? `  ${formatBytes(rate)}/s` : '';
  const part = fileCount > 1 ? `  (part ${fileIndex + 1} of ${fileCount})` : '';
  return `${bar}${amount}${speed}${part}`;
}

/** Redraws one line in place with `\r`, padding over the longer line before it. */
export function progressLine(write: (text: string) => void): {
  update(progress: ModelDownloadProgress): void;
  end(): void;
} {
  let previous = 0;
  let drawn = false;
  return {
    update(progress) {
      const line = formatProgress(progress);
      write(`\r${line.padEnd(previous)}`);
      previous = line.length;
      drawn = true;
    },
    end() {
      if (drawn) write('\n');
    },
  };
}
