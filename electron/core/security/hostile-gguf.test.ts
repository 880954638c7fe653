import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtures, fixturePaths } from '../../../models/fixtures';
import { PonderError } from '../errors';
import { checkModelFiles } from '../llm';
import { readGgufHeader, readGgufSummary } from '../models';
import { TERMINAL_ESCAPE_KEY, writeHostileGgufCorpus } from './corpus/hostile-gguf-corpus';
import type { HostileFile } from './corpus/hostile-gguf-corpus';
import { mutateHeader } from './corpus/mutate-header';
import { hasControlCharacters } from './control-characters';

let dir: string;
let corpus: HostileFile[];

beforeAll(async () => {
  await ensureFixtures();
  dir = await mkdtemp(join(tmpdir(), 'ponder-hostile-gguf-'));
  corpus = await writeHostileGgufCorpus(join(dir, 'corpus'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function refusal(path: string): Promise<PonderError> {
  const error = await checkModelFiles(path).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof PonderError))
    throw new Error(`${path}: expected a PonderError, got ${String(error)}`);
  return error;
}

describe('hostile model files are refused before llama.cpp sees them (SECURITY 16)', () => {
  it('gives each lying header, device, folder and link its clear error', async () => {
    const outcomes: Record<string, string> = {};
    // The named pipe is in: the reader looks before it opens, so nothing blocks.
    for (const file of corpus) {
      const error = await refusal(file.path);
      outcomes[file.name] = error.code;
      expect(error.message, file.name).toContain(file.path);
      expect(error.hint ?? '', file.name).not.toBe('');
      expect(hasControlCharacters(error.message), file.name).toBe(false);
    }
    expect(outcomes).toEqual(Object.fromEntries(corpus.map((entry) => [entry.name, entry.code])));
  });

  it('keeps an adapter slot holding any hostile file from loading, with an error for its modes only', async () => {
    for (const file of corpus) {
      const checked = await checkModelFiles(fixturePaths.base, { sft: file.path });
      expect(checked.adapters, file.name).toEqual({});
      expect(checked.adapterErrors.sft?.code, file.name).toMatch(
        /^(adapter-missing|adapter-mismatch|model-invalid)$/,
      );
    }
  });

  it('refuses every header cut short, at 64 points from the first byte to the tensor data', async () => {
    const good = await readFile(fixturePaths.base);
    const { dataOffset } = await readGgufHeader(fixturePaths.base);
    const cut = join(dir, 'cut.gguf');
    for (let step = 0; step < 64; step++) {
      const length = Math.floor((dataOffset * step) / 64);
      await writeFile(cut, good.subarray(0, length));
      const error = await refusal(cut);
      expect(error.code, `cut at ${length}`).toBe('model-invalid');
    }
  });

  it('never throws anything but a PonderError on 400 randomly damaged headers', async () => {
    const good = await readFile(fixturePaths.base);
    const { dataOffset } = await readGgufHeader(fixturePaths.base);
    const damaged = join(dir, 'damaged.gguf');
    let refused = 0;
    for (let seed = 1; seed <= 400; seed++) {
      await writeFile(damaged, mutateHeader(good, dataOffset, seed));
      try {
        await readGgufSummary(damaged);
      } catch (error) {
        expect(error, `seed ${seed}`).toBeInstanceOf(PonderError);
        expect((error as PonderError).code, `seed ${seed}`).toBe('model-invalid');
        refused += 1;
      }
    }
    // Most single-byte damage to counts, lengths and types is caught; damage inside strings is not visible.
    expect(refused).toBeGreaterThan(100);
  });
});

describe('text quoted from inside the file', () => {
  // A metadata key holding a newline and terminal escapes must not reach the one-line error (and a
  // terminal printing it): gguf-errors escapes control characters.
  it('quotes text from inside the file without control characters', async () => {
    const file = corpus.find((entry) => entry.name === 'key-duplicate-with-terminal-escapes');
    const error = await refusal(file?.path ?? '');
    expect(error.message).not.toContain(TERMINAL_ESCAPE_KEY);
    expect(hasControlCharacters(error.message)).toBe(false);
  });
});
