import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
// Inside the repository's node_modules so the bundle still resolves its packages, kept external.
const outDir = fileURLToPath(
  new URL('../../../../node_modules/.cache/ponder-memory-tests/', import.meta.url),
);
const bundles = new Map<string, string>();

/**
 * Bundles a test-support script once into plain JavaScript: a child started under tsx takes seconds
 * on a busy two-core machine, and the crash test starts one per kill.
 */
function bundle(script: string): string {
  const cached = bundles.get(script);
  if (cached) return cached;
  const dir = `${outDir}${process.pid}/`;
  mkdirSync(dir, { recursive: true });
  buildSync({
    entryPoints: [`${here}${script}`],
    bundle: true,
    // Keeps modules loaded on demand (and the packages they import) out of the child's start-up.
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    logLevel: 'error',
  });
  const outfile = `${dir}${script.replace(/\.ts$/, '.mjs')}`;
  bundles.set(script, outfile);
  return outfile;
}

/** Starts one of the test-support scripts as a real, separate Node process. */
export function runChild(script: string, args: string[]): ChildProcess {
  return spawn(process.execPath, [bundle(script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Resolves with the first stdout line matching `pattern`; rejects if the child exits first. */
export function waitForLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let stderr = '';
    const onData = (data: Buffer) => {
      buffered += data.toString();
      const line = buffered.split('\n').find((candidate) => pattern.test(candidate));
      if (line !== undefined) {
        child.stdout?.off('data', onData);
        child.off('exit', onExit);
        resolve(line);
      }
    };
    const onExit = (code: number | null) =>
      reject(new Error(`child exited (${code}) before printing ${pattern}: ${stderr}`));
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (data: Buffer) => (stderr += data.toString()));
    child.once('exit', onExit);
  });
}

export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Removes this process's bundles; call from `afterAll`. */
export function removeBundles(): void {
  rmSync(`${outDir}${process.pid}/`, { recursive: true, force: true });
  bundles.clear();
}
