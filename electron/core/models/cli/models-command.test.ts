import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtures, fixturePaths } from '../../../../models/fixtures';
import { runCli } from '../../cli/main';
import { startTestServer } from '../download/test-server';

let scratch: string;

beforeAll(async () => {
  await ensureFixtures();
  scratch = await mkdtemp(join(tmpdir(), 'ponder-models-cli-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function ponder(args: string[], env: NodeJS.ProcessEnv = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()));
  stderr.on('data', (chunk: Buffer) => err.push(chunk.toString()));
  const code = await runCli(['models', ...args], {
    stdout,
    stderr,
    env: { PONDER_DATA_DIR: scratch, ...env },
    signal: new AbortController().signal,
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('ponder models inspect', () => {
  it('describes a model', async () => {
    const { code, stdout, stderr } = await ponder(['inspect', fixturePaths.base]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('  Architecture:    qwen2\n');
    expect(stdout).toContain('  Size:            2.5 MiB (2596288 bytes)\n');
    expect(stdout).toContain('  Quantisation:    F32\n');
    expect(stdout).toContain('  Context length:  4096\n');
    expect(stdout).toContain('  Chat template:   yes\n');
  });

  it('describes an adapter and the base it expects', async () => {
    const { code, stdout } = await ponder(['inspect', fixturePaths.sft]);
    expect(code).toBe(0);
    expect(stdout).toContain('  Kind:            LoRA adapter\n');
    expect(stdout).toContain('  Alpha:           320\n');
    expect(stdout).toContain('  Rank:            320\n');
    expect(stdout).toContain('  Targets:         output.weight\n');
    expect(stdout).toContain('  Fits:            a qwen2 base with output.weight [320, 272]\n');
  });

  it('says whether an adapter fits a given base, exiting 1 when it does not', async () => {
    const fits = await ponder(['inspect', fixturePaths.grpo, '--base', fixturePaths.base]);
    expect(fits.code).toBe(0);
    expect(fits.stdout).toContain(`  Base:            fits ${fixturePaths.base}\n`);
    const other = await ponder([
      'inspect',
      fixturePaths.adapterOtherBase,
      '--base',
      fixturePaths.base,
    ]);
    expect(other.code).toBe(1);
    expect(other.stdout).toContain(`  Base:            does not fit ${fixturePaths.base}\n`);
    expect(other.stdout).toContain(
      'tensor "output.weight" is [320, 272] in the base, the adapter expects [256, 272]',
    );
  });

  it('prints JSON with long arrays abbreviated', async () => {
    const { code, stdout } = await ponder(['inspect', fixturePaths.base, '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as Record<string, unknown> & {
      metadata: Record<string, unknown>;
    };
    expect(json).toMatchObject({
      architecture: 'qwen2',
      fileType: 'F32',
      contextLength: 4096,
      hasChatTemplate: true,
    });
    expect(json.metadata['tokenizer.ggml.tokens']).toMatchObject({
      itemType: 'string',
      length: 272,
    });
  });

  it('refuses each broken file with one line and exit 1', async () => {
    for (const path of Object.values(fixturePaths.broken)) {
      const { code, stdout, stderr } = await ponder(['inspect', path]);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(
        new RegExp(
          `^ponder models: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (is not a GGUF file|is truncated|has a corrupt header)`,
        ),
      );
    }
    const missing = await ponder(['inspect', join(scratch, 'none.gguf')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^ponder models: Model file not found: .*none\.gguf\. /);
  });
});

describe('ponder models list and download', () => {
  it('lists the catalog', async () => {
    const { code, stdout } = await ponder(['list']);
    expect(code).toBe(0);
    expect(stdout).toContain('qwen2.5-7b-instruct-q4_k_m');
    expect(stdout).toContain('qwen2.5-1.5b-instruct-q4_k_m');
    expect(stdout).toContain(`Models folder: ${join(scratch, 'models')}`);
  });

  it('downloads with a progress line and prints the path', async () => {
    const model = await readFile(fixturePaths.base);
    const server = await startTestServer(
      { '/me/tiny/resolve/main/tiny.gguf': model },
      { delayMs: 5 },
    );
    try {
      const to = join(scratch, 'to');
      const { code, stdout, stderr } = await ponder(
        ['download', 'hf:me/tiny/tiny.gguf', '--to', to],
        {
          PONDER_HF_ENDPOINT: server.endpoint,
        },
      );
      expect(code).toBe(0);
      expect(stdout).toBe(`${join(to, 'tiny.gguf')}\n`);
      expect(stderr).toContain('\r[########################] 100%  2.5 MiB / 2.5 MiB');
      expect(stderr).toMatch(/Downloaded qwen2 F32 \(2\.5 MiB\)\.\n$/);
      const missing = await ponder(['download', 'hf:me/tiny/none.gguf', '--to', to], {
        PONDER_HF_ENDPOINT: server.endpoint,
      });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(
        /^ponder models: Download failed: .*none\.gguf does not exist \(HTTP 404\)/,
      );
    } finally {
      await server.close();
    }
  });
});
