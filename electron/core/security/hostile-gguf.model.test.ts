import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerEvent } from '../../shared';
import { ensureFixtures, fixturePaths } from '../../../models/fixtures';
import { PonderError } from '../errors';
import { createRemoteEngine, forkModelHost } from '../model-host';
import type { ModelHostSpawn } from '../model-host';
import { kv, readGgufHeader, readGgufSummary, writeGguf } from '../models';
import { writeHostileGgufCorpus } from './corpus/hostile-gguf-corpus';
import { mutateHeader } from './corpus/mutate-header';

const base = { threads: 1, gpu: false as const, contextSize: 256 };
let dir: string;

beforeAll(async () => {
  await ensureFixtures();
  dir = await mkdtemp(join(tmpdir(), 'ponder-hostile-load-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function isRunning(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A launcher that remembers the pid of every model process it starts. */
function recordingSpawn(): { spawn: ModelHostSpawn; pids: number[] } {
  const fork = forkModelHost();
  const pids: number[] = [];
  return {
    pids,
    spawn: () => {
      const host = fork();
      if (host.pid !== undefined) pids.push(host.pid);
      return host;
    },
  };
}

describe('hostile model files loaded in the model process (SECURITY 16, 17)', () => {
  it('refuses a named pipe at once with a clear error and leaves no process behind', async () => {
    const corpus = await writeHostileGgufCorpus(join(dir, 'corpus'));
    const pipe = corpus.find((file) => file.name === 'named-pipe');
    const { spawn, pids } = recordingSpawn();
    // The file check looks before it opens, so nothing waits for a writer that never comes
    // (a host stuck loading is covered by remote-engine.model.test.ts).
    await expect(
      createRemoteEngine(
        { ...base, modelPath: pipe?.path ?? '' },
        { spawn, loadTimeoutMs: 60_000 },
      ),
    ).rejects.toMatchObject({
      code: 'model-invalid',
      message: expect.stringMatching(/not a regular file/),
    });
    expect(pids.filter(isRunning)).toEqual([]);
  });

  it(
    'refuses a well-formed file of an unknown architecture and one missing every tensor',
    { timeout: 180_000 },
    async () => {
      const unknown = join(dir, 'unknown-architecture.gguf');
      await writeGguf(unknown, {
        metadata: { 'general.architecture': 'definitely-not-a-model' },
        tensors: [
          { name: 'token_embd.weight', shape: [8, 2], type: 'F32', values: new Float32Array(16) },
        ],
      });
      const hollow = join(dir, 'hollow-llama.gguf');
      await writeGguf(hollow, {
        metadata: { 'general.architecture': 'llama', 'llama.block_count': kv.uint32(1) },
        tensors: [],
      });
      for (const modelPath of [unknown, hollow]) {
        const failure = await createRemoteEngine(
          { ...base, modelPath },
          { spawn: forkModelHost(), loadTimeoutMs: 60_000 },
        ).then(
          async (engine) => {
            await engine.dispose();
            return undefined;
          },
          (error: unknown) => error,
        );
        expect(failure, modelPath).toBeInstanceOf(PonderError);
        expect((failure as PonderError).code, modelPath).toBe('model-invalid');
        expect((failure as PonderError).message, modelPath).not.toContain('\n');
      }
    },
  );

  it(
    'survives damaged models that pass the header check: each loads and answers, or fails clearly',
    { timeout: 300_000 },
    async () => {
      const good = await readFile(fixturePaths.base);
      const { dataOffset } = await readGgufHeader(fixturePaths.base);
      const accepted: string[] = [];
      for (let seed = 1; accepted.length < 3 && seed < 200; seed++) {
        const path = join(dir, `damaged-${seed}.gguf`);
        await writeFile(path, mutateHeader(good, dataOffset, seed));
        if (
          await readGgufSummary(path).then(
            () => true,
            () => false,
          )
        )
          accepted.push(path);
      }
      expect(accepted).toHaveLength(3);
      const outcomes: string[] = [];
      for (const modelPath of accepted) {
        const { spawn, pids } = recordingSpawn();
        try {
          const engine = await createRemoteEngine(
            { ...base, modelPath },
            { spawn, loadTimeoutMs: 60_000 },
          );
          const events: AnswerEvent[] = [];
          for await (const event of engine.generate({
            mode: 'chat',
            messages: [{ role: 'user', text: 'Hi' }],
            maxTokens: 8,
          })) {
            events.push(event);
          }
          expect(['done', 'error']).toContain(events.at(-1)?.type);
          outcomes.push(`answered:${events.at(-1)?.type}`);
          await engine.dispose();
        } catch (error) {
          expect(error, modelPath).toBeInstanceOf(PonderError);
          outcomes.push(`refused:${(error as PonderError).code}`);
        }
        expect(pids.filter(isRunning)).toEqual([]);
      }
      expect(outcomes).toHaveLength(3);
    },
  );
});
