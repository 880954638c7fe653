import { spawn } from 'node:child_process';
import { PonderError } from '../../errors';

export interface ToolRun {
  /** The last lines the tool wrote (stdout and stderr), newest last. */
  lines: string[];
}

const KEEP_LINES = 40;

/**
 * Runs one llama.cpp tool to the end. Every output line goes to `onLine`; the signal kills the
 * process (SIGKILL: the tools hold no state worth flushing) and rejects with `cancelled`. A non-zero
 * exit rejects with the tool's own last error line.
 */
export function runTool(
  binary: string,
  args: string[],
  options: { signal?: AbortSignal; onLine?: (line: string) => void } = {},
): Promise<ToolRun> {
  const { signal, onLine } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new PonderError('cancelled', 'Merge cancelled.'));
      return;
    }
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    const partial = { stdout: '', stderr: '' };
    const take = (stream: 'stdout' | 'stderr', chunk: Buffer): void => {
      const text = partial[stream] + chunk.toString('utf8');
      const parts = text.split(/\r?\n|\r/);
      partial[stream] = parts.pop() ?? '';
      for (const line of parts) {
        if (line.trim() === '') continue;
        lines.push(line);
        if (lines.length > KEEP_LINES) lines.shift();
        onLine?.(line);
      }
    };
    child.stdout.on('data', (chunk: Buffer) => take('stdout', chunk));
    child.stderr.on('data', (chunk: Buffer) => take('stderr', chunk));
    const abort = (): void => {
      child.kill('SIGKILL');
    };
    signal?.addEventListener('abort', abort, { once: true });
    child.on('error', (error) => {
      signal?.removeEventListener('abort', abort);
      reject(
        new PonderError('internal', `Could not run ${binary}: ${error.message}`, {
          hint: 'Build the llama.cpp tools with `npm run native:tools`.',
        }),
      );
    });
    child.on('close', (code, killedBy) => {
      signal?.removeEventListener('abort', abort);
      for (const rest of [partial.stdout, partial.stderr]) if (rest.trim() !== '') lines.push(rest);
      if (signal?.aborted) {
        reject(new PonderError('cancelled', 'Merge cancelled.'));
        return;
      }
      if (code === 0) {
        resolve({ lines });
        return;
      }
      const name = binary.split(/[\\/]/).pop() ?? binary;
      reject(
        new PonderError(
          'internal',
          `${name} failed (${killedBy ?? `exit ${code}`}): ${lastErrorLine(lines)}`,
        ),
      );
    });
  });
}

/** The line that explains a failure best: the last one naming an error, else the last one. */
export function lastErrorLine(lines: readonly string[]): string {
  const error = [...lines].reverse().find((line) => /error|fail|abort|invalid|cannot/i.test(line));
  return (error ?? lines.at(-1) ?? 'no output').trim();
}
