import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtures, FIXTURE_REPLIES, fixturePaths, splitGguf } from '../../../models/fixtures';
import { checkModelFiles as checkChosenFiles } from '../server/routes/model-check-route';
import { checkModelFiles } from './check-model-files';
import { createEngine } from './create-engine';
import { collectAnswer } from './testing/collect-answer';

let scratch: string;
/** The fixture base in two parts, with `output.weight` (the tensor the adapters adapt) in the second. */
let splitBase: string;

beforeAll(async () => {
  await ensureFixtures();
  scratch = await mkdtemp(join(tmpdir(), 'ponder-split-base-'));
  splitBase = await splitGguf(fixturePaths.base, scratch, 'tiny-qwen2', ['output.weight']);
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('adapters on a base model split in two files', () => {
  it('accepts an adapter whose tensor is in the second part, and answers with it', async () => {
    const checked = await checkModelFiles(splitBase, { sft: fixturePaths.sft });
    expect(checked.adapterErrors).toEqual({});
    expect(checked.adapters).toEqual({ sft: fixturePaths.sft });

    const engine = await createEngine({
      gpu: false,
      threads: 1,
      contextSize: 512,
      modelPath: splitBase,
      adapters: { sft: fixturePaths.sft },
    });
    try {
      const chat = await collectAnswer(engine, { mode: 'chat', temperature: 0 });
      expect(chat.error).toBeUndefined();
      expect(chat.text).toBe(FIXTURE_REPLIES.sft);
    } finally {
      await engine.dispose();
    }
  });

  it('still refuses an adapter made for another base, naming the tensor', async () => {
    const checked = await checkModelFiles(splitBase, { sft: fixturePaths.adapterOtherBase });
    expect(checked.adapters).toEqual({});
    expect(checked.adapterErrors.sft?.code).toBe('adapter-mismatch');
    expect(checked.adapterErrors.sft?.message).toMatch(
      /tensor "output\.weight" is \[320, 272\] in the base, the adapter expects \[256, 272\]/,
    );
  });

  it('lets Settings choose the split base with a fitting adapter, and refuses a mismatched one', async () => {
    await expect(
      checkChosenFiles({ modelPath: splitBase, sftPath: fixturePaths.sft }),
    ).resolves.toMatchObject({
      architecture: 'qwen2',
    });
    await expect(
      checkChosenFiles({ modelPath: splitBase, grpoPath: fixturePaths.adapterOtherBase }),
    ).rejects.toMatchObject({ code: 'adapter-mismatch' });
  });

  it('says which part is missing when the second file is gone', async () => {
    const dir = await mkdtemp(join(scratch, 'missing-'));
    const first = await splitGguf(fixturePaths.base, dir, 'tiny-qwen2', ['output.weight']);
    await rm(join(dir, 'tiny-qwen2-00002-of-00002.gguf'));
    await expect(checkModelFiles(first, { sft: fixturePaths.sft })).rejects.toThrow(
      /Part 2 of 2 of the base model is missing: .*tiny-qwen2-00002-of-00002\.gguf/,
    );
  });
});
