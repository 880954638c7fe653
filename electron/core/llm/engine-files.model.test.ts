import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtures, FIXTURE_GRPO_PARTS, fixturePaths } from '../../../models/fixtures';
import type { BrokenFixture } from '../../../models/fixtures';
import { PonderError } from '../errors';
import { createEngine } from './create-engine';
import type { EngineOptions } from './engine-types';
import { collectAnswer, terminalEvents } from './testing/collect-answer';

beforeAll(async () => {
  await ensureFixtures();
});

const cpu = { gpu: false, threads: 1, contextSize: 512 } as const;

/** The error createEngine rejects with; fails the test when it resolves. */
async function loadError(options: EngineOptions): Promise<PonderError> {
  const engine = await createEngine(options).catch((error: unknown) => error);
  if (!(engine instanceof PonderError)) {
    if (engine && typeof engine === 'object' && 'dispose' in engine) {
      await (engine as { dispose(): Promise<void> }).dispose();
    }
    throw new Error(`expected a PonderError, got ${String(engine)}`);
  }
  return engine;
}

function expectOneLine(error: { message: string; hint?: string | undefined }): void {
  expect(error.message).not.toContain('\n');
  expect(error.message).not.toMatch(/\bat .*\.(ts|js):\d+/);
  expect(error.hint ?? '').not.toBe('');
}

describe('model files that cannot be loaded', () => {
  it('says the model is missing', async () => {
    const error = await loadError({ ...cpu, modelPath: join(tmpdir(), 'no-such-model.gguf') });
    expect(error.code).toBe('model-missing');
    expect(error.message).toContain('no-such-model.gguf');
    expectOneLine(error);
  });

  const broken = Object.keys(fixturePaths.broken) as BrokenFixture[];
  it.each(broken)('refuses the %s file before llama.cpp sees it', async (kind) => {
    const error = await loadError({ ...cpu, modelPath: fixturePaths.broken[kind] });
    expect(error.code).toBe('model-invalid');
    expect(error.message).toContain(fixturePaths.broken[kind]);
    expectOneLine(error);
  });

  it('refuses an adapter passed as the base model', async () => {
    const error = await loadError({ ...cpu, modelPath: fixturePaths.grpo });
    expect(error.code).toBe('model-invalid');
    expect(error.message).toMatch(/adapter, not a base model/);
    expectOneLine(error);
  });

  it('refuses a text file that only has the .gguf name', async () => {
    const path = join(tmpdir(), `ponder-not-a-model-${process.pid}.gguf`);
    await writeFile(path, 'hello, I am not a model\n');
    const error = await loadError({ ...cpu, modelPath: path });
    expect(error.code).toBe('model-invalid');
    expectOneLine(error);
  });
});

describe('adapters that cannot be used', () => {
  it('answers the modes of a missing or mismatched adapter with its error, the others normally', async () => {
    const engine = await createEngine({
      ...cpu,
      modelPath: fixturePaths.base,
      adapters: { sft: join(tmpdir(), 'no-such-sft.gguf'), grpo: fixturePaths.grpo },
    });
    try {
      const { adapterErrors, adapters } = engine.info();
      expect(adapters).toEqual({ grpo: fixturePaths.grpo });
      expect(adapterErrors.sft?.code).toBe('adapter-missing');

      const chat = await collectAnswer(engine, { mode: 'chat', temperature: 0 });
      expect(chat.error?.code).toBe('adapter-missing');
      expect(chat.error?.message).toContain('no-such-sft.gguf');
      expectOneLine(chat.error ?? { message: '' });
      expect(terminalEvents(chat)).toEqual(['error']);
      await expect(engine.prepare('chat')).rejects.toMatchObject({ code: 'adapter-missing' });

      const reasoning = await collectAnswer(engine, { mode: 'reasoning', temperature: 0 });
      expect(reasoning.solution).toBe(FIXTURE_GRPO_PARTS.solution);
    } finally {
      await engine.dispose();
    }
  });

  it('refuses adapters made for another base, another architecture, or that are whole models', async () => {
    const engine = await createEngine({
      ...cpu,
      modelPath: fixturePaths.base,
      adapters: { sft: fixturePaths.adapterOtherBase, grpo: fixturePaths.adapterOtherArch },
    });
    const wholeModel = await createEngine({
      ...cpu,
      modelPath: fixturePaths.base,
      adapters: { grpo: fixturePaths.base },
    });
    try {
      const cases = [
        [engine, 'chat', /does not fit.*tensor/],
        [engine, 'reasoning', /made for a llama model/],
        [wholeModel, 'search', /not a LoRA adapter/],
      ] as const;
      for (const [target, mode, why] of cases) {
        const answer = await collectAnswer(target, { mode, temperature: 0 });
        expect(answer.error?.code).toBe('adapter-mismatch');
        expect(answer.error?.message).toMatch(why);
        expectOneLine(answer.error ?? { message: '' });
        expect(answer.reasoning + answer.solution + answer.text).toBe('');
      }
    } finally {
      await engine.dispose();
      await wholeModel.dispose();
    }
  });
});
