/**
 * node-llama-cpp as a few files instead of ~570 modules. Loading its modules one by one costs the
 * model process about a second before llama.cpp even starts: Node resolves, opens and compiles
 * each file. Bundled, the same code loads in a fraction of that.
 *
 * The package stays installed where it is, and the bundle still uses it for everything that is
 * not JavaScript: the llama.cpp binaries, the `llama/` folder, its package.json. Each of its
 * modules finds those through `import.meta.url`, so every `import.meta.url` of the package is
 * rewritten to the URL its module has in the installed package.
 *
 * One module is the exception. Before loading a prebuilt binary, node-llama-cpp checks it in a
 * child process that runs the checking module's own file (`testBindingBinary.js`), and skips the
 * check when that file is not its own. The bundle therefore has a `testBindingBinary.js` entry
 * beside `index.js`, and that module's `import.meta.url` points at it: the child then loads the
 * bundle too, and the check still runs.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { build, type OutputFile, type Plugin } from 'esbuild';
import { nodeLlamaCppDir } from '../native/build-cuda';
import { ESM_BUNDLE_OPTIONS } from './esm-bundle-options';

const BINDING_TEST = 'dist/bindings/utils/testBindingBinary.js';

/**
 * Runs first in every file of the bundle: `__nlcModuleUrl(path)` is the URL of one of the
 * package's own files, wherever the package and this bundle are installed.
 */
const BANNER = `import { createRequire as __nlcCreateRequire } from 'node:module';
import { pathToFileURL as __nlcPathToUrl } from 'node:url';
import { dirname as __nlcDirname, join as __nlcJoin } from 'node:path';
const require = __nlcCreateRequire(import.meta.url);
const __nlcRoot = __nlcJoin(__nlcDirname(require.resolve('node-llama-cpp')), '..');
const __nlcModuleUrl = (path) => __nlcPathToUrl(__nlcJoin(__nlcRoot, path)).href;`;

function moduleUrls(root: string): Plugin {
  return {
    name: 'node-llama-cpp-module-urls',
    setup(builder) {
      builder.onLoad({ filter: /\.js$/ }, async (args) => {
        const path = relative(root, args.path).split(sep).join('/');
        if (path.startsWith('..') || !path.startsWith('dist/')) return undefined;
        const source = await readFile(args.path, 'utf8');
        const url =
          path === BINDING_TEST
            ? `new URL('./testBindingBinary.js', import.meta.url).href`
            : `__nlcModuleUrl(${JSON.stringify(path)})`;
        return {
          contents: source.replaceAll('import.meta.url', url),
          loader: 'js',
          resolveDir: dirname(args.path),
        };
      });
    },
  };
}

/**
 * Bundles node-llama-cpp into `outdir` (`index.js`, `testBindingBinary.js` and shared chunks).
 * Nothing is written: the caller writes the files, so a running command never sees half a build.
 */
export async function bundleNodeLlamaCpp(
  projectRoot: string,
  outdir: string,
): Promise<OutputFile[]> {
  const root = nodeLlamaCppDir();
  const result = await build({
    absWorkingDir: projectRoot,
    entryPoints: {
      index: join(root, 'dist/index.js'),
      testBindingBinary: join(root, BINDING_TEST),
    },
    outdir,
    ...ESM_BUNDLE_OPTIONS,
    // Native parts and the per-platform binary packages stay installed packages; so does Electron,
    // which node-llama-cpp imports only when it runs inside it.
    external: ['*.node', '@node-llama-cpp/*', '@reflink/*', 'electron'],
    plugins: [moduleUrls(root)],
    banner: { js: BANNER },
  });
  return result.outputFiles;
}
