import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';

/** Native or heavy packages main loads from node_modules at run time (asar-unpacked when packaged). */
const NATIVE_DEPS = [
  'node-llama-cpp',
  'better-sqlite3',
  '@xenova/transformers',
  'onnxruntime-node',
  'sharp',
  'duck-duck-scrape',
];

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      rolldownOptions: {
        input: {
          index: resolve(import.meta.dirname, 'electron/main/index.ts'),
          // The model's own process (an Electron utility process), see electron/main/model-process.ts.
          'model-host': resolve(
            import.meta.dirname,
            'electron/core/model-host/model-host-entry.ts',
          ),
          // Search reads pages in worker threads, see electron/core/rag/extract/extraction-pool.ts.
          'extract-worker': resolve(
            import.meta.dirname,
            'electron/core/rag/extract/extract-worker.ts',
          ),
        },
        external: NATIVE_DEPS,
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot require() from node_modules and cannot be an ES module:
      // everything is bundled into one CommonJS file.
      externalizeDeps: false,
      isolatedEntries: true,
      rolldownOptions: {
        input: { index: resolve(import.meta.dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'renderer'),
    // Relative asset URLs: the same bundle is served by Electron's app:// protocol and by `ponder serve`.
    base: './',
    plugins: [svelte({ configFile: false })],
    build: {
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      emptyOutDir: true,
      rolldownOptions: { input: { index: resolve(import.meta.dirname, 'renderer/index.html') } },
    },
  },
});
