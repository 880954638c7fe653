/**
 * The CPU build with the native decode loop, cached outside any clone: the decode-loop tests need
 * it, and building it takes many minutes on two cores. The cache is keyed by node-llama-cpp's
 * llama.cpp source (its git bundle and patches), the addon sources, the decode loop's own files and
 * the build options, and holds the build's `Release/` folder. node-llama-cpp only loads local
 * builds from its own `llama/localBuilds/`, so a cached build is copied there.
 *
 * Cache: $PONDER_DECODE_LOOP_CACHE, else ~/.cache/ponder/decode-loop-cpu/<key>/.
 */
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCuda, nodeLlamaCppDir } from '../build-cuda';
import { hashSourceAndOptions, nodeLlamaCppSource, takeBuildLock } from '../llama-source-build';
import {
  CPU_BUILD_OPTIONS,
  readLocalCudaBuild,
  writeLocalBuild,
  type LocalCudaBuild,
} from '../local-build';

const here = path.dirname(fileURLToPath(import.meta.url));

export function decodeLoopCacheRoot(): string {
  return (
    process.env.PONDER_DECODE_LOOP_CACHE ??
    path.join(os.homedir(), '.cache', 'ponder', 'decode-loop-cpu')
  );
}

/** Everything the build is made of, hashed. */
export function cpuBuildKey(): string {
  const files = createHash('sha256');
  const addonDir = path.join(nodeLlamaCppDir(), 'llama', 'addon');
  const addonFiles = readdirSync(addonDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name !== 'AddonGenerateTokens.cpp')
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
  for (const file of [
    ...addonFiles,
    path.join(here, 'AddonGenerateTokens.cpp'),
    path.join(here, 'addon-context.patch'),
  ]) {
    files.update(path.basename(file)).update(readFileSync(file));
  }
  return hashSourceAndOptions(nodeLlamaCppSource(), {
    ...CPU_BUILD_OPTIONS,
    sources: files.digest('hex'),
  });
}

interface CachedBuild {
  key: string;
  folderName: string;
  builtAt: string;
  buildSeconds: number;
}

function installFromCache(dir: string, cached: CachedBuild): LocalCudaBuild {
  const buildDir = path.join(nodeLlamaCppDir(), 'llama', 'localBuilds', cached.folderName);
  const binDir = path.join(buildDir, 'Release');
  rmSync(buildDir, { recursive: true, force: true });
  mkdirSync(buildDir, { recursive: true });
  cpSync(path.join(dir, 'Release'), binDir, { recursive: true });
  // node-llama-cpp treats a local build as finished only with this marker.
  writeFileSync(path.join(buildDir, 'buildDone.status'), '');
  const record: LocalCudaBuild = {
    cudaArch: 'cpu',
    gpu: false,
    decodeLoop: true,
    cmakeOptions: CPU_BUILD_OPTIONS,
    folderName: cached.folderName,
    binDir,
    llamaBench: null,
    builtAt: cached.builtAt,
  };
  writeLocalBuild(record);
  return record;
}

/**
 * Makes sure the CPU decode-loop build is installed: from the cache when it has this key, else
 * built (and then cached), one process at a time (the lock llama-server's and the tools' builds
 * take). Returns the installed build.
 */
export async function ensureCpuDecodeLoopBuild(
  log: (line: string) => void = console.log,
): Promise<LocalCudaBuild> {
  const key = cpuBuildKey();
  const dir = path.join(decodeLoopCacheRoot(), key);
  const fromCache = (): LocalCudaBuild | undefined => {
    const recordFile = path.join(dir, 'build.json');
    if (!existsSync(recordFile)) return undefined;
    const cached = JSON.parse(readFileSync(recordFile, 'utf8')) as CachedBuild;
    const installed = readLocalCudaBuild('cpu');
    if (installed?.folderName === cached.folderName && installed.builtAt === cached.builtAt)
      return installed;
    log(`Installing the cached CPU build with the native decode loop (${key}).`);
    return installFromCache(dir, cached);
  };
  const found = fromCache();
  if (found) return found;
  const release = takeBuildLock(`${dir}.lock`, 'native decode loop');
  try {
    // Another process may have finished the same build while this one waited for the lock.
    return fromCache() ?? (await buildAndCache(key, dir, log));
  } finally {
    release();
  }
}

async function buildAndCache(
  key: string,
  dir: string,
  log: (line: string) => void,
): Promise<LocalCudaBuild> {
  log(
    `Building node-llama-cpp's binding with the native decode loop for the CPU (cached in ${dir}; many minutes the first time)…`,
  );
  const started = performance.now();
  const built = await buildCuda(['--cpu']);
  const partial = `${dir}.building-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  cpSync(built.binDir, path.join(partial, 'Release'), { recursive: true });
  const cached: CachedBuild = {
    key,
    folderName: built.folderName,
    builtAt: built.builtAt,
    buildSeconds: Math.round((performance.now() - started) / 1000),
  };
  writeFileSync(path.join(partial, 'build.json'), `${JSON.stringify(cached, null, 2)}\n`);
  // Complete or absent: a build cut short never looks finished.
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  log(`Built in ${cached.buildSeconds} s.`);
  return built;
}
