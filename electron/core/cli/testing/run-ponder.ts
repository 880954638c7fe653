import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../../bin/ponder.js', import.meta.url));

export interface PonderRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `ponder` binary as a person would: in its own data folder, without colours and
 * without any PONDER_MODEL/SFT/GRPO the test machine may have set.
 */
export function runPonder(
  args: string[],
  options: { dataDir: string; timeoutMs?: number },
): Promise<PonderRun> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PONDER_DATA_DIR: options.dataDir,
    NO_COLOR: '1',
  };
  for (const key of ['PONDER_MODEL', 'PONDER_SFT', 'PONDER_GRPO']) delete env[key];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env, timeout: options.timeoutMs ?? 150_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
