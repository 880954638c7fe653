import { access, mkdtemp, rm } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtures, fixturePaths } from '../../../../models/fixtures';
import { readGgufSummary } from '../../models';
import { fixtureLmHead, peftConfig, writePeftFolder } from '../../models/peft/testing/peft-folder';
import { runCli } from '../main';
import { runPonder } from '../testing/run-ponder';

let work: string;
beforeAll(async () => {
  await ensureFixtures();
  work = await mkdtemp(join(tmpdir(), 'ponder-adapters-cli-'));
  // The sources, not an older compiled build in dist/.
  process.env.PONDER_FROM_SOURCE = '1';
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('ponder adapters import', () => {
  it('converts a PEFT folder in one command and says it fits the base', async () => {
    const dir = await writePeftFolder(join(work, 'my-sft'), peftConfig(), fixtureLmHead('sft'));
    const run = await runPonder(['adapters', 'import', dir, '--base', fixturePaths.base], {
      dataDir: work,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = join(dir, 'my-sft-F16-LoRA.gguf');
    expect(run.stdout).toContain(`Imported 1 LoRA pairs (adapter.lora.alpha 320) → ${out}`);
    expect(run.stdout).toContain('it fits');
    const summary = await readGgufSummary(out);
    expect(summary.type).toBe('adapter');
    expect(summary.adapter?.loraAlpha).toBe(320);
  });

  it('refuses DoRA with one line on stderr and exit status 1', async () => {
    const dir = await writePeftFolder(
      join(work, 'dora'),
      peftConfig({ use_dora: true }),
      fixtureLmHead('sft'),
    );
    const run = await runPonder(['adapters', 'import', dir, '--base', fixturePaths.base], {
      dataDir: work,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^ponder adapters: .*uses DoRA/);
  });

  it('stopped by Ctrl+C, says Cancelled, leaves no file and exits 130', async () => {
    const dir = await writePeftFolder(join(work, 'stopped'), peftConfig(), fixtureLmHead('sft'));
    const stderr = new PassThrough();
    let errorText = '';
    stderr.on('data', (chunk: Buffer) => (errorText += chunk.toString()));
    const code = await runCli(['adapters', 'import', dir, '--base', fixturePaths.base], {
      stdout: new PassThrough(),
      stderr,
      env: { ...process.env, PONDER_DATA_DIR: work },
      signal: AbortSignal.abort(),
    });
    expect(code).toBe(130);
    expect(errorText).toBe('ponder adapters: Cancelled.\n');
    await expect(access(join(dir, 'stopped-F16-LoRA.gguf'))).rejects.toThrow();
  });

  it('asks for --base when it is missing (exit status 2)', async () => {
    const run = await runPonder(['adapters', 'import', work], { dataDir: work });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^ponder adapters: Give one adapter folder and --base MODEL\.gguf\./,
    );
  });
});
