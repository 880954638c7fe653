/**
 * Compiles the `ponder` command and its model process to plain JavaScript in dist/cli, so neither
 * compiles TypeScript when it starts. Packages stay in node_modules (native ones cannot be bundled),
 * except node-llama-cpp's JavaScript, which is bundled beside the command (bundle-node-llama-cpp.ts);
 * each command is its own chunk, loaded only when run. `npm ci` runs this through `prepare`.
 *
 *   npx tsx scripts/build-cli.ts [--clean]
 *
 * Safe to run while `ponder` runs from dist/cli: chunks are named by content and written first,
 * then each entry file is replaced in one rename, so a running command never reads half a build.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { build, type Plugin } from 'esbuild';
import { bundleNodeLlamaCpp } from './bundle-node-llama-cpp';
import { ESM_BUNDLE_OPTIONS } from './esm-bundle-options';
import { CLI_BUILD_DIR, CLI_SOURCE_DIR, ROOT, STAMP_FILE } from './cli-build-paths';

/** Unreferenced chunks older than this are removed; younger ones may still serve a running command. */
const STALE_CHUNK_MS = 60 * 60 * 1000;
/** esbuild's `[name]-[hash]` chunk files and their source maps. */
const CHUNK_NAME = /-[A-Z0-9]{8}\.js(\.map)?$/;

function writeAtomically(file: string, contents: Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, contents);
  renameSync(partial, file);
}

function removeOldChunks(dir: string, keep: Set<string>): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (keep.has(file) || !CHUNK_NAME.test(name)) continue;
    if (Date.now() - statSync(file).mtimeMs > STALE_CHUNK_MS) rmSync(file, { force: true });
  }
}

/** A bare import of a file inside a package (`pkg/lib/util`, `@scope/pkg/x`). */
const PACKAGE_SUBPATH = /^(?:@[^/]+\/)?[^./@][^/]*\/.+$/;

/**
 * Node's ES module loader does not add `.js` to `duck-duck-scrape/lib/util` as tsx and bundlers
 * do; packages stay outside the bundle, so such an import is rewritten to the file's real name.
 */
const exactPackageSubpaths: Plugin = {
  name: 'exact-package-subpaths',
  setup(build) {
    build.onResolve({ filter: PACKAGE_SUBPATH }, (args) => {
      if (args.path.startsWith('node:')) return undefined;
      let resolved: string;
      try {
        resolved = createRequire(args.importer || join(ROOT, 'package.json')).resolve(args.path);
      } catch {
        return undefined;
      }
      const extension = /\.[cm]?js$/.exec(resolved)?.[0];
      const path =
        extension &&
        !args.path.endsWith(extension) &&
        resolved.endsWith(`${args.path.split('/').pop()}${extension}`)
          ? `${args.path}${extension}`
          : args.path;
      return { path, external: true };
    });
  },
};

/** Where the bundled node-llama-cpp goes, beside the command's own chunks. */
const NODE_LLAMA_CPP_DIR = join(CLI_BUILD_DIR, 'node-llama-cpp');

/** The command loads node-llama-cpp from its bundle (see bundle-node-llama-cpp.ts). */
const bundledNodeLlamaCpp: Plugin = {
  name: 'bundled-node-llama-cpp',
  setup(build) {
    build.onResolve({ filter: /^node-llama-cpp$/ }, () => ({
      path: './node-llama-cpp/index.js',
      external: true,
    }));
  },
};

export async function buildCli(options: { clean?: boolean } = {}): Promise<string[]> {
  if (options.clean) rmSync(CLI_BUILD_DIR, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: {
      ponder: join(CLI_SOURCE_DIR, 'cli/index.ts'),
      'model-host': join(CLI_SOURCE_DIR, 'model-host/model-host-entry.ts'),
      // Search reads pages in worker threads; the pool finds this file beside its own chunk.
      'extract-worker': join(CLI_SOURCE_DIR, 'rag/extract/extract-worker.ts'),
    },
    outdir: CLI_BUILD_DIR,
    // Chunks beside the entries: the model-host launcher finds `./model-host.js` next to its own chunk.
    ...ESM_BUNDLE_OPTIONS,
    packages: 'external',
    plugins: [bundledNodeLlamaCpp, exactPackageSubpaths],
    sourcemap: 'linked',
  });
  const outputFiles = [
    ...(await bundleNodeLlamaCpp(ROOT, NODE_LLAMA_CPP_DIR)),
    ...result.outputFiles,
  ];
  const written: string[] = [];
  const chunks = outputFiles.filter((file) => CHUNK_NAME.test(basename(file.path)));
  const entries = outputFiles.filter((file) => !chunks.includes(file));
  // Chunks are named by their content: one that exists already is the same file.
  for (const file of chunks) {
    if (!existsSync(file.path)) writeAtomically(file.path, file.contents);
    written.push(file.path);
  }
  for (const file of entries) {
    writeAtomically(file.path, file.contents);
    written.push(file.path);
  }
  removeOldChunks(CLI_BUILD_DIR, new Set(written));
  removeOldChunks(NODE_LLAMA_CPP_DIR, new Set(written));
  writeAtomically(
    STAMP_FILE,
    Buffer.from(`${JSON.stringify({ builtAt: new Date().toISOString() }, null, 2)}\n`),
  );
  return written.map((file) => relative(ROOT, file));
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const start = performance.now();
  try {
    const files = await buildCli({ clean: process.argv.includes('--clean') });
    const ms = Math.round(performance.now() - start);
    console.log(
      `Built the ponder command into ${relative(ROOT, CLI_BUILD_DIR)} (${files.length} files, ${ms} ms).`,
    );
  } catch {
    // esbuild has printed what is wrong, file and line, above.
    console.error('Building the ponder command failed; dist/cli was left as it was.');
    process.exitCode = 1;
  }
}
