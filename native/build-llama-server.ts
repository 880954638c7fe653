/**
 * Builds llama.cpp's `llama-server` for the CPU from the llama.cpp source node-llama-cpp ships (its git
 * bundle, its patches applied — no network), and caches the binary outside any clone, keyed by a hash
 * of that source and of the build options. The remote-engine tests serve the fixture model with it.
 *
 *   npm run native:llama-server            # build when the cache lacks it, print the binary's path
 *   npm run native:llama-server -- --force # rebuild from scratch
 *
 * Cache: $PONDER_LLAMA_SERVER_CACHE, else ~/.cache/ponder/llama-server/<source-hash>/.
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

/**
 * CMake options of the build. Everything that could reach the network is off: no OpenSSL/curl, no web
 * UI download from Hugging Face, no npm build of the UI. Static libraries make one self-contained file.
 */
export const LLAMA_SERVER_CMAKE_OPTIONS: Readonly<Record<string, string>> = {
  CMAKE_BUILD_TYPE: 'Release',
  BUILD_SHARED_LIBS: 'OFF',
  LLAMA_BUILD_TESTS: 'OFF',
  LLAMA_BUILD_EXAMPLES: 'OFF',
  LLAMA_BUILD_APP: 'OFF',
  LLAMA_BUILD_TOOLS: 'ON',
  LLAMA_BUILD_SERVER: 'ON',
  LLAMA_OPENSSL: 'OFF',
  LLAMA_CURL: 'OFF',
  LLAMA_BUILD_UI: 'OFF',
  LLAMA_USE_PREBUILT_UI: 'OFF',
  GGML_CUDA: 'OFF',
  GGML_VULKAN: 'OFF',
  GGML_METAL: 'OFF',
};

/** What a finished build records beside the binary (build.json); its presence marks the cache complete. */
export interface LlamaServerBuild {
  binary: string;
  sourceHash: string;
  commit: string;
  patches: string[];
  cmakeOptions: Record<string, string>;
  buildSeconds: number;
  cpuCount: number;
  builtAt: string;
}

export interface LlamaServerSource {
  bundle: string;
  patches: string[];
}

/** The git bundle and patches node-llama-cpp ships. */
export function nodeLlamaCppSource(): LlamaServerSource {
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
export function sourceHash(source: LlamaServerSource): string {
  const hash = createHash('sha256');
  hash.update(readFileSync(source.bundle));
  for (const patch of source.patches) hash.update(path.basename(patch)).update(readFileSync(patch));
  hash.update(JSON.stringify(LLAMA_SERVER_CMAKE_OPTIONS));
  return hash.digest('hex').slice(0, 16);
}

export function llamaServerCacheRoot(): string {
  return (
    process.env.PONDER_LLAMA_SERVER_CACHE ??
    path.join(os.homedir(), '.cache', 'ponder', 'llama-server')
  );
}

/** The cached build for this source, or null when it is missing or incomplete. */
export function readCachedLlamaServer(
  source = nodeLlamaCppSource(),
  cacheRoot = llamaServerCacheRoot(),
): LlamaServerBuild | null {
  const record = path.join(cacheRoot, sourceHash(source), 'build.json');
  if (!existsSync(record)) return null;
  try {
    const build = JSON.parse(readFileSync(record, 'utf8')) as LlamaServerBuild;
    return existsSync(build.binary) ? build : null;
  } catch {
    return null;
  }
}

function run(command: string, args: string[], cwd?: string, quiet = false): string {
  return execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    stdio: quiet ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
  });
}

/** Builds into a scratch folder and renames it into place, so a build cut short never looks finished. */
export function buildLlamaServer(
  options: { force?: boolean; source?: LlamaServerSource; cacheRoot?: string } = {},
): LlamaServerBuild {
  const source = options.source ?? nodeLlamaCppSource();
  const cacheRoot = options.cacheRoot ?? llamaServerCacheRoot();
  if (!existsSync(source.bundle))
    throw new Error(`llama.cpp source bundle not found: ${source.bundle}`);
  if (!options.force) {
    const cached = readCachedLlamaServer(source, cacheRoot);
    if (cached) return cached;
  }
  const hash = sourceHash(source);
  const finalDir = path.join(cacheRoot, hash);
  const release = takeBuildLock(`${finalDir}.lock`);
  try {
    // Another process may have finished the same build while this one waited for the lock.
    const done = options.force ? null : readCachedLlamaServer(source, cacheRoot);
    return done ?? compile(source, hash, finalDir, cacheRoot);
  } finally {
    release();
  }
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

/**
 * One build at a time per cache folder (two test runs starting together would otherwise compile
 * twice on the same cores). A lock left by a process that died is taken over.
 */
function takeBuildLock(lockDir: string): () => void {
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
    if (!announced) console.log(`Waiting for the llama-server build of process ${owner || '?'}…`);
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

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function compile(
  source: LlamaServerSource,
  hash: string,
  finalDir: string,
  cacheRoot: string,
): LlamaServerBuild {
  const workDir = path.join(cacheRoot, `${hash}.building-${process.pid}`);
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const started = Date.now();
  try {
    const srcDir = path.join(workDir, 'src');
    const buildDir = path.join(workDir, 'build');
    run('git', ['clone', '--quiet', source.bundle, srcDir]);
    const commit = run('git', ['rev-parse', 'HEAD'], srcDir, true).trim();
    for (const patch of source.patches) run('git', ['apply', patch], srcDir);
    const defines = Object.entries(LLAMA_SERVER_CMAKE_OPTIONS).map(([k, v]) => `-D${k}=${v}`);
    run('cmake', ['-S', srcDir, '-B', buildDir, '-G', 'Ninja', ...defines]);
    const jobs = String(Math.max(1, os.cpus().length));
    run('cmake', ['--build', buildDir, '--target', 'llama-server', '-j', jobs]);
    const binDir = path.join(workDir, 'bin');
    mkdirSync(binDir);
    copyFileSync(path.join(buildDir, 'bin', 'llama-server'), path.join(binDir, 'llama-server'));
    execFileSync('chmod', ['+x', path.join(binDir, 'llama-server')]);
    // Only the binary is kept: the source and objects are hundreds of megabytes.
    rmSync(srcDir, { recursive: true, force: true });
    rmSync(buildDir, { recursive: true, force: true });
    const build: LlamaServerBuild = {
      binary: path.join(finalDir, 'bin', 'llama-server'),
      sourceHash: hash,
      commit,
      patches: source.patches.map((p) => path.basename(p)),
      cmakeOptions: { ...LLAMA_SERVER_CMAKE_OPTIONS },
      buildSeconds: Math.round((Date.now() - started) / 1000),
      cpuCount: os.cpus().length,
      builtAt: new Date().toISOString(),
    };
    writeFileSync(path.join(workDir, 'build.json'), JSON.stringify(build, null, 2) + '\n');
    rmSync(finalDir, { recursive: true, force: true });
    renameSync(workDir, finalDir);
    return build;
  } catch (error) {
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
}

function main(argv: string[]): void {
  if (argv.includes('--help')) {
    console.log('Usage: npm run native:llama-server -- [--force]');
    return;
  }
  const cached = argv.includes('--force') ? null : readCachedLlamaServer();
  if (cached) {
    console.log(`llama-server (cached, ${cached.commit.slice(0, 8)}): ${cached.binary}`);
    return;
  }
  console.log("Building llama-server for the CPU from node-llama-cpp's llama.cpp source…");
  const build = buildLlamaServer({ force: true });
  console.log(`llama-server built in ${build.buildSeconds} s: ${build.binary}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`llama-server build failed: ${(error as Error).message.split('\n')[0]}`);
    process.exit(1);
  }
}
