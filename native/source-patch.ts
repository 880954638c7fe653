import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';

/**
 * A change Ponder makes to the sources node-llama-cpp ships (`node_modules/node-llama-cpp/llama`)
 * for its own native builds: a patch to files that are there, plus files of its own copied in.
 */
export interface SourcePatch {
  /** The patch, with paths relative to the llama folder (`a/addon/…`, `a/llama.cpp/…`). */
  patch: string;
  /** Files copied in: from this project's path to a path relative to the llama folder. */
  files: { from: string; to: string }[];
}

/**
 * `git apply` as a plain patch tool (the folder sits in a project's node_modules, not in a
 * repository), or `patch` where git is missing.
 */
function runPatch(llamaDir: string, patch: string, args: string[]): boolean {
  const run = (command: string, commandArgs: string[]) =>
    execFileSync(command, commandArgs, {
      cwd: llamaDir,
      env: { ...process.env, GIT_CEILING_DIRECTORIES: path.dirname(llamaDir) },
      stdio: 'ignore',
    });
  try {
    run('git', ['apply', ...args, patch]);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return false;
  }
  const patchArgs = ['-p1', '--silent', '-i', patch];
  patchArgs.push(args.includes('--reverse') ? '--reverse' : '--forward');
  if (args.includes('--check')) patchArgs.push('--dry-run');
  try {
    run('patch', patchArgs);
    return true;
  } catch {
    return false;
  }
}

/** Takes the change out of the sources, if it is in them. */
export function removeSourcePatch(llamaDir: string, change: SourcePatch): void {
  if (runPatch(llamaDir, change.patch, ['--check', '--reverse']))
    runPatch(llamaDir, change.patch, ['--reverse']);
  for (const file of change.files) rmSync(path.join(llamaDir, file.to), { force: true });
}

/**
 * Puts the change into the sources, first taking out any earlier copy of it. Returns the undo, so
 * the installed package is left as npm wrote it once the build is done. Throws, naming the patch,
 * when it no longer fits (a new node-llama-cpp: each patch's README says how to re-make it).
 */
export function applySourcePatch(llamaDir: string, change: SourcePatch): () => void {
  removeSourcePatch(llamaDir, change);
  if (!runPatch(llamaDir, change.patch, ['--check'])) {
    throw new Error(
      `${change.patch} does not apply to the sources in ${llamaDir}; re-make it for this node-llama-cpp (see the README beside it).`,
    );
  }
  runPatch(llamaDir, change.patch, []);
  for (const file of change.files) copyFileSync(file.from, path.join(llamaDir, file.to));
  return () => removeSourcePatch(llamaDir, change);
}

/** Whether the change's own files are in the sources now. */
export function hasSourcePatch(llamaDir: string, change: SourcePatch): boolean {
  return change.files.every((file) => existsSync(path.join(llamaDir, file.to)));
}

/**
 * A folder of this project that holds `marker`: beside the module, or under the working directory
 * when the module runs bundled elsewhere (the GPU machine's `.device/build-cuda.mjs`).
 */
export function projectFolder(moduleDir: string, relative: string, marker: string): string {
  return (
    [moduleDir, path.join(process.cwd(), relative)].find((dir) =>
      existsSync(path.join(dir, marker)),
    ) ?? moduleDir
  );
}
