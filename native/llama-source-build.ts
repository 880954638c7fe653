/**
 * Shared parts of the CPU builds of llama.cpp programs (llama-server, llama-export-lora,
 * llama-quantize) from the llama.cpp source node-llama-cpp ships: its git bundle with its patches
 * applied, no network. Each build is cached outside any clone, in a folder named after a hash of that
 * source and the build's CMake options, and is built into a scratch folder that is renamed into place
 * only when it succeeded.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface LlamaCppSource {
  bundle: string;
  patches: string[];
}

/** The git bundle and patches node-llama-cpp ships. */
export function nodeLlamaCppSource(): LlamaCppSource {
  const entry = createRequire(import.meta.url).resolve('node-llama-cpp');
  const llamaDir = path.join(path.resolve(path.dirname(entry), '..'), 'llama');
  const patchDir = path.join(llamaDir, 'patches');
  const patches = existsSync(patchDir)
    ? readdirSync(patchDir)
        .filter((name) => name.endsWith('.diff') || name.endsWith('.patch'))
        .sort()
        .map((name) => path.join(patchDir, name))
    : [];
  return { bundle: path.join(llamaDir, 'gitRelease.bundle'), patches };
}

/** Changes whenever the bundle, a patch or a build option changes: each gets its own cache folder. */
export function hashSourceAndOptions(
  source: LlamaCppSource,
  cmakeOptions: Readonly<Record<string, string>>,
): string {
  const hash = createHash('sha256');
  hash.update(readFileSync(source.bundle));
  for (const patch of source.patches) hash.update(path.basename(patch)).update(readFileSync(patch));
  hash.update(JSON.stringify(cmakeOptions));
  return hash.digest('hex').slice(0, 16);
}

export function runCommand(command: string, args: string[], cwd?: string, quiet = false): string {
  return execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    stdio: quiet ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/**
 * One build at a time per cache folder (two test runs starting together would otherwise compile
 * twice on the same cores). A lock left by a process that died is taken over.
 */
export function takeBuildLock(lockDir: string, what: string): () => void {
  mkdirSync(path.dirname(lockDir), { recursive: true });
  for (let announced = false; ; announced = true) {
    // A live scratch folder is a build under way too (one started before locks existed, say).
    let owner = buildingElsewhere(lockDir);
    if (!owner) {
      try {
        mkdirSync(lockDir);
        writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
        return () => rmSync(lockDir, { recursive: true, force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      owner = Number(readFileSafe(path.join(lockDir, 'pid')));
      if (owner && !isAlive(owner)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
    }
    if (!announced) console.log(`Waiting for the ${what} build of process ${owner || '?'}…`);
    sleep(2000);
  }
}

/** A live process's scratch folder (`<key>.building-<pid>`) beside the lock: a build under way. */
function buildingElsewhere(lockDir: string): number {
  const prefix = `${path.basename(lockDir, '.lock')}.building-`;
  for (const entry of readdirSync(path.dirname(lockDir))) {
    const pid = entry.startsWith(prefix) ? Number(entry.slice(prefix.length)) : 0;
    if (pid && pid !== process.pid && isAlive(pid)) return pid;
  }
  return 0;
}

/** What one compile produced: the binaries are already in `<finalDir>/bin/` when this returns. */
export interface CompiledTargets {
  commit: string;
  buildSeconds: number;
}

/**
 * Clones the bundle into `<cacheRoot>/<hash>.building-<pid>`, applies the patches, configures with
 * Ninja and the given options, builds only `targets`, keeps only their binaries (`bin/`) plus the
 * record `describe` returns (`build.json`), and renames the folder to `finalDir`. A failure removes
 * the scratch folder.
 */
export function compileTargets<T extends object>(options: {
  source: LlamaCppSource;
  hash: string;
  finalDir: string;
  cacheRoot: string;
  cmakeOptions: Readonly<Record<string, string>>;
  targets: string[];
  describe: (compiled: CompiledTargets) => T;
}): T {
  const { source, hash, finalDir, cacheRoot, cmakeOptions, targets } = options;
  const workDir = path.join(cacheRoot, `${hash}.building-${process.pid}`);
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const started = Date.now();
  try {
    const srcDir = path.join(workDir, 'src');
    const buildDir = path.join(workDir, 'build');
    runCommand('git', ['clone', '--quiet', source.bundle, srcDir]);
    const commit = runCommand('git', ['rev-parse', 'HEAD'], srcDir, true).trim();
    for (const patch of source.patches) runCommand('git', ['apply', patch], srcDir);
    const defines = Object.entries(cmakeOptions).map(([k, v]) => `-D${k}=${v}`);
    runCommand('cmake', ['-S', srcDir, '-B', buildDir, '-G', 'Ninja', ...defines]);
    const jobs = String(Math.max(1, os.cpus().length));
    for (const target of targets)
      runCommand('cmake', ['--build', buildDir, '--target', target, '-j', jobs]);
    const binDir = path.join(workDir, 'bin');
    mkdirSync(binDir);
    for (const target of targets) {
      copyFileSync(path.join(buildDir, 'bin', target), path.join(binDir, target));
      execFileSync('chmod', ['+x', path.join(binDir, target)]);
    }
    // Only the binaries are kept: the source and objects are hundreds of megabytes.
    rmSync(srcDir, { recursive: true, force: true });
    rmSync(buildDir, { recursive: true, force: true });
    const record = options.describe({
      commit,
      buildSeconds: Math.round((Date.now() - started) / 1000),
    });
    writeFileSync(path.join(workDir, 'build.json'), JSON.stringify(record, null, 2) + '\n');
    rmSync(finalDir, { recursive: true, force: true });
    renameSync(workDir, finalDir);
    return record;
  } catch (error) {
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
}

/** What every cached build records beside its binaries (build.json). */
export interface BuildRecord {
  sourceHash: string;
  commit: string;
  patches: string[];
  cmakeOptions: Record<string, string>;
  buildSeconds: number;
  cpuCount: number;
  builtAt: string;
}

/** A cache folder's record, or null when it is missing, unreadable or its binaries are gone. */
export function readBuildRecord<T extends BuildRecord>(
  finalDir: string,
  complete: (record: T) => boolean,
): T | null {
  const file = path.join(finalDir, 'build.json');
  if (!existsSync(file)) return null;
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as T;
    return complete(record) ? record : null;
  } catch {
    return null;
  }
}

/**
 * The cached build of `targets` for this source and these options, built when missing (or when
 * `force`). Builds into a scratch folder and renames it into place, so a build cut short never
 * looks finished; a lock keeps two processes from building the same thing at once.
 */
export function buildCached<T extends BuildRecord>(options: {
  what: string;
  source: LlamaCppSource;
  cacheRoot: string;
  cmakeOptions: Readonly<Record<string, string>>;
  targets: string[];
  force?: boolean | undefined;
  /** The cached record in `finalDir`, or null when it is not complete. */
  read: (finalDir: string) => T | null;
  /** The record of a finished build, from the common fields and where the binaries are. */
  describe: (finalDir: string, record: BuildRecord) => T;
}): T {
  const { source, cacheRoot, cmakeOptions } = options;
  if (!existsSync(source.bundle))
    throw new Error(`llama.cpp source bundle not found: ${source.bundle}`);
  const hash = hashSourceAndOptions(source, cmakeOptions);
  const finalDir = path.join(cacheRoot, hash);
  if (!options.force) {
    const cached = options.read(finalDir);
    if (cached) return cached;
  }
  const release = takeBuildLock(`${finalDir}.lock`, options.what);
  try {
    // Another process may have finished the same build while this one waited for the lock.
    const done = options.force ? null : options.read(finalDir);
    return (
      done ??
      compileTargets<T>({
        source,
        hash,
        finalDir,
        cacheRoot,
        cmakeOptions,
        targets: options.targets,
        describe: ({ commit, buildSeconds }) =>
          options.describe(finalDir, {
            sourceHash: hash,
            commit,
            patches: source.patches.map((p) => path.basename(p)),
            cmakeOptions: { ...cmakeOptions },
            buildSeconds,
            cpuCount: os.cpus().length,
            builtAt: new Date().toISOString(),
          }),
      })
    );
  } finally {
    release();
  }
}

/**
 * `npm run native:…`: prints where the cached build is, or builds it (`--force` rebuilds), when
 * the script at `moduleUrl` is the one Node was started with. A failure is one line and exit 1.
 */
export function runBuildCommand<T extends BuildRecord>(
  moduleUrl: string,
  command: {
    script: string;
    /** The command's own file name without its extension, e.g. `build-llama-tools`. */
    entry: string;
    what: string;
    building: string;
    readCached: () => T | null;
    build: () => T;
    whereIs: (build: T) => string;
  },
): void {
  const script = process.argv[1];
  if (!script || path.resolve(script) !== fileURLToPath(moduleUrl)) return;
  // Bundled into another script (the GPU machine's bench), every module shares that script's
  // URL: only the command's own file runs the command.
  if (path.basename(script).replace(/\.[cm]?[jt]s$/, '') !== command.entry) return;
  const argv = process.argv.slice(2);
  try {
    if (argv.includes('--help')) {
      console.log(`Usage: npm run ${command.script} -- [--force]`);
      return;
    }
    const cached = argv.includes('--force') ? null : command.readCached();
    if (cached) {
      console.log(
        `${command.what} (cached, ${cached.commit.slice(0, 8)}): ${command.whereIs(cached)}`,
      );
      return;
    }
    console.log(command.building);
    const build = command.build();
    console.log(`${command.what} built in ${build.buildSeconds} s: ${command.whereIs(build)}`);
  } catch (error) {
    console.error(`${command.what} build failed: ${(error as Error).message.split('\n')[0]}`);
    process.exit(1);
  }
}
