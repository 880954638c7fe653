import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildCli } from '../../../../scripts/build-cli';
import { isCliBuildStale } from '../../../../scripts/cli-build-paths';

const BIN = fileURLToPath(new URL('../../../../bin/ponder.js', import.meta.url));

export interface PonderRun {
  code: number;
  stdout: string;
  stderr: string;
}

let checked: Promise<void> | undefined;

/**
 * Makes sure `ponder` runs the current sources: the binary runs the compiled dist/cli, so a build
 * older than any source file is rebuilt first (about a second), once per test file.
 */
export function ensureFreshBuild(): Promise<void> {
  checked ??= isCliBuildStale() ? buildCli().then(() => undefined) : Promise.resolve();
  return checked;
}

/** The environment `ponder` gets in tests: its own data folder, no colours, no configured model. */
export function ponderEnv(dataDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PONDER_DATA_DIR: dataDir,
    NO_COLOR: '1',
    ...extra,
  };
  for (const key of [
    'PONDER_MODEL',
    'PONDER_SFT',
    'PONDER_GRPO',
    'PONDER_DB',
    'PONDER_FROM_SOURCE',
  ]) {
    if (!(key in extra)) delete env[key];
  }
  return env;
}

/** The real `ponder` binary, for tests that spawn it themselves. */
export const PONDER_BIN = BIN;

/**
 * Runs the real `ponder` binary as a person would: in its own data folder, without colours and
 * without any PONDER_MODEL/SFT/GRPO the test machine may have set.
 */
export async function runPonder(
  args: string[],
  options: { dataDir: string; timeoutMs?: number; env?: NodeJS.ProcessEnv },
): Promise<PonderRun> {
  await ensureFreshBuild();
  const env = ponderEnv(options.dataDir, options.env);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env, timeout: options.timeoutMs ?? 150_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
