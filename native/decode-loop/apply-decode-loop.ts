import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = 'AddonGenerateTokens.cpp';

/**
 * This folder; from the project root when this file runs bundled elsewhere (the GPU machine's
 * `.device/build-cuda.mjs`).
 */
const here =
  [
    path.dirname(fileURLToPath(import.meta.url)),
    path.join(process.cwd(), 'native', 'decode-loop'),
  ].find((dir) => existsSync(path.join(dir, SOURCE))) ??
  path.dirname(fileURLToPath(import.meta.url));
const PATCH = path.join(here, 'addon-context.patch');

/**
 * `git apply` as a plain patch tool (the folder sits in a project's node_modules, not in a
 * repository), or `patch` where git is missing.
 */
function applyPatch(llamaDir: string, args: string[]): boolean {
  const run = (command: string, commandArgs: string[]) =>
    execFileSync(command, commandArgs, {
      cwd: llamaDir,
      env: { ...process.env, GIT_CEILING_DIRECTORIES: path.dirname(llamaDir) },
      stdio: 'ignore',
    });
  try {
    run('git', ['apply', ...args, PATCH]);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return false;
  }
  const patchArgs = ['-p1', '--silent', '-i', PATCH];
  patchArgs.push(args.includes('--reverse') ? '--reverse' : '--forward');
  if (args.includes('--check')) patchArgs.push('--dry-run');
  try {
    run('patch', patchArgs);
    return true;
  } catch {
    return false;
  }
}

/** Takes the decode loop out of node-llama-cpp's addon sources, if it is in them. */
export function removeDecodeLoop(llamaDir: string): void {
  if (applyPatch(llamaDir, ['--check', '--reverse'])) applyPatch(llamaDir, ['--reverse']);
  rmSync(path.join(llamaDir, 'addon', SOURCE), { force: true });
}

/**
 * Adds Ponder's native decode loop to node-llama-cpp's addon sources (`llama/addon/`, compiled by
 * its source build): one new file and the two methods' registration. Returns the undo, so the
 * installed package is left as npm wrote it once the build is done. Throws, naming the file, when
 * the patch no longer fits (a new node-llama-cpp: see native/decode-loop/README.md).
 */
export function applyDecodeLoop(llamaDir: string): () => void {
  removeDecodeLoop(llamaDir);
  if (!applyPatch(llamaDir, ['--check'])) {
    throw new Error(
      `${PATCH} does not apply to ${path.join(llamaDir, 'addon')}; re-make it for this node-llama-cpp (native/decode-loop/README.md).`,
    );
  }
  applyPatch(llamaDir, []);
  copyFileSync(path.join(here, SOURCE), path.join(llamaDir, 'addon', SOURCE));
  return () => removeDecodeLoop(llamaDir);
}

/** Whether a llama.cpp folder's addon sources hold the decode loop now. */
export function hasDecodeLoop(llamaDir: string): boolean {
  return existsSync(path.join(llamaDir, 'addon', SOURCE));
}
