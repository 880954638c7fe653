import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as NodeLlamaCppModule from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleNodeLlamaCpp } from './bundle-node-llama-cpp';
import { ROOT } from './cli-build-paths';

const MODEL = join(ROOT, '../shared/fixtures/stories260K.gguf');
// Inside the project, so the bundle finds the installed package as the command's own copy does.
const OUT = join(ROOT, 'dist', `node-llama-cpp-bundle-test-${process.pid}`);

type NodeLlamaCpp = typeof NodeLlamaCppModule;

/** The prebuilt CPU binary that npm installs on Linux x64, the platform this check is made on. */
const PREBUILT_BINDING = join(
  ROOT,
  'node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/llama-addon.node',
);

describe('node-llama-cpp bundled for the ponder command', () => {
  beforeAll(async () => {
    for (const file of await bundleNodeLlamaCpp(ROOT, OUT)) {
      mkdirSync(dirname(file.path), { recursive: true });
      writeFileSync(file.path, file.contents);
    }
  });
  afterAll(() => rmSync(OUT, { recursive: true, force: true }));

  it('loads llama.cpp and a model, reading the same tokens as the installed package', async () => {
    const bundled = (await import(pathToFileURL(join(OUT, 'index.js')).href)) as NodeLlamaCpp;
    const installed = await import('node-llama-cpp');
    const llama = await bundled.getLlama({
      gpu: false,
      build: 'never',
      skipDownload: true,
      progressLogs: false,
      logLevel: bundled.LlamaLogLevel.error,
    });
    try {
      const model = await llama.loadModel({ modelPath: MODEL });
      const tokens = model.tokenize('Once upon a time');
      expect(tokens.length).toBeGreaterThan(0);
      const info = await installed.readGgufFileInfo(MODEL, { readTensorInfo: false });
      expect(model.fileInfo.metadata.general.architecture).toBe(info.metadata.general.architecture);
      expect(model.detokenize(tokens)).toBe('Once upon a time');
      await model.dispose();
    } finally {
      await llama.dispose();
    }
  });

  it.skipIf(!existsSync(PREBUILT_BINDING))(
    'still checks a prebuilt binary in a child process before loading it',
    () => {
      const notABinary = join(OUT, 'not-a-binding.node');
      writeFileSync(notABinary, 'not a shared library');
      // In a plain Node process, as the ponder command runs (a test worker's own flags would reach
      // the checking child).
      const script = `
      const { testBindingBinary } = await import(${JSON.stringify(pathToFileURL(join(OUT, 'testBindingBinary.js')).href)});
      const binding = await testBindingBinary(${JSON.stringify(PREBUILT_BINDING)}, undefined, false);
      const text = await testBindingBinary(${JSON.stringify(notABinary)}, undefined, false).catch(() => false);
      console.log(JSON.stringify({ binding, text }));`;
      const scriptFile = join(OUT, 'check-binding.mjs');
      writeFileSync(scriptFile, script);
      const run = spawnSync(process.execPath, [scriptFile], {
        encoding: 'utf8',
        env: { ...process.env, NODE_OPTIONS: '' },
      });
      expect(run.status, run.stderr).toBe(0);
      // The real binary passes; a file that is not one fails (or its child does), so the check ran rather than being
      // assumed to pass.
      expect(JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}')).toEqual({
        binding: true,
        text: false,
      });
    },
  );
});
