import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerEvent } from '../../shared';
import { createEngine } from '../llm';
import type { EngineOptions, GenerateRequest } from '../llm';
import { CRASHED_MESSAGE, createRemoteEngine, forkModelHost } from '.';
import type { RemoteEngine } from '.';

const STORIES = resolve(import.meta.dirname, '../../../../shared/fixtures/stories260K.gguf');
// The full trained context, so a long answer (~2 s here) cannot finish before the test interrupts it.
const options: EngineOptions = { modelPath: STORIES, threads: 1, gpu: false, contextSize: 2048 };
const ask = (text: string, extra: Partial<GenerateRequest> = {}): GenerateRequest => ({
  mode: 'chat',
  messages: [{ role: 'user', text }],
  temperature: 0,
  seed: 1,
  maxTokens: 24,
  ...extra,
});

async function collect(
  events: AsyncIterable<AnswerEvent>,
  onEvent?: (event: AnswerEvent) => void,
): Promise<AnswerEvent[]> {
  const seen: AnswerEvent[] = [];
  for await (const event of events) {
    seen.push(event);
    onEvent?.(event);
  }
  return seen;
}

const answerText = (events: AnswerEvent[]): string =>
  events.map((event) => ('text' in event && event.type !== 'notice' ? event.text : '')).join('');

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the model in its own process', () => {
  let engine: RemoteEngine;

  beforeAll(async () => {
    if (!existsSync(STORIES))
      throw new Error(`Test model missing: ${STORIES} (see shared/fixtures/README.md).`);
    engine = await createRemoteEngine(options, { spawn: forkModelHost() });
  });

  afterAll(async () => {
    await engine?.dispose();
  });

  it('answers exactly as the in-process engine does, in another process', async () => {
    expect(engine.pid).toBeGreaterThan(0);
    expect(engine.pid).not.toBe(process.pid);
    // It starts with the malloc settings that keep its resident memory down.
    const environment = (await readFile(`/proc/${engine.pid}/environ`, 'utf8')).split('\0');
    expect(environment).toContain('MALLOC_MMAP_THRESHOLD_=131072');
    expect(environment).toContain('MALLOC_ARENA_MAX=2');
    expect(engine.info().architecture).toBe('llama');
    const remote = await collect(engine.generate(ask('Once upon a time')));
    const local = await createEngine(options);
    try {
      const inProcess = await collect(local.generate(ask('Once upon a time')));
      expect(remote.at(-1)?.type).toBe('done');
      expect(answerText(remote).trim().length).toBeGreaterThan(10);
      expect(answerText(remote)).toBe(answerText(inProcess));
      // What the engine learns while answering (where the native loop picked its top-k) reaches
      // the parent too.
      expect(engine.info().topK).toBe(local.info().topK);
      if (local.info().decodeLoop === 'native') expect(engine.info().topK).toBe('host');
      expect(await engine.countTokens('Once upon a time')).toBe(
        await local.countTokens('Once upon a time'),
      );
    } finally {
      await local.dispose();
    }
  });

  it('ends an answer with model-crashed when the process is killed, and the next question works', async () => {
    const killed = engine.pid;
    if (killed === undefined) throw new Error('no model process');
    const events = await collect(
      engine.generate(ask('Once upon a time', { maxTokens: 2000 })),
      (event) => {
        if (event.type === 'text' && isRunning(killed)) process.kill(killed, 'SIGKILL');
      },
    );
    const last = events.at(-1);
    expect(last).toEqual({
      type: 'error',
      error: { code: 'model-crashed', message: CRASHED_MESSAGE },
    });
    expect(events.filter((event) => event.type === 'done')).toHaveLength(0);

    const again = await collect(engine.generate(ask('Once upon a time')));
    expect(again.at(-1)?.type).toBe('done');
    expect(answerText(again).trim().length).toBeGreaterThan(10);
    expect(engine.pid).not.toBe(killed);
  });

  it('stops an answer on cancel and is ready again in the same process', async () => {
    const pid = engine.pid;
    const controller = new AbortController();
    const events = await collect(
      engine.generate(ask('Once upon a time', { maxTokens: 2000, signal: controller.signal })),
      (event) => {
        if (event.type === 'text') controller.abort();
      },
    );
    const last = events.at(-1);
    expect(
      last?.type === 'done'
        ? last.stats.stopReason
        : last?.type === 'error'
          ? last.error.code
          : last?.type,
    ).toBe('cancelled');
    expect(events.filter((event) => event.type === 'text').length).toBeLessThan(50);

    const again = await collect(engine.generate(ask('Once upon a time')));
    expect(again.at(-1)?.type).toBe('done');
    expect(engine.pid).toBe(pid);
  });

  it('refuses an oversized request with a clear error instead of sending it', async () => {
    const events = await collect(engine.generate(ask('x'.repeat(2_000_001))));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', error: { code: 'payload-too-large' } });
    await expect(engine.countTokens('y'.repeat(2_000_001))).rejects.toMatchObject({
      code: 'payload-too-large',
    });
  });
});

describe('loading in the model process', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ponder-model-host-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports a broken GGUF with the same error as in process, and the parent stays up', async () => {
    const broken = join(dir, 'broken.gguf');
    await writeFile(broken, Buffer.concat([Buffer.from('GGUF'), Buffer.alloc(60, 0xff)]));
    const remote = createRemoteEngine(
      { ...options, modelPath: broken },
      { spawn: forkModelHost() },
    );
    await expect(remote).rejects.toMatchObject({ code: 'model-invalid' });
    const local = await createEngine({ ...options, modelPath: broken }).catch(
      (error: unknown) => error,
    );
    await expect(remote).rejects.toMatchObject({ message: (local as Error).message });
  });

  it('reports a missing model as model-missing', async () => {
    const remote = createRemoteEngine(
      { ...options, modelPath: join(dir, 'absent.gguf') },
      { spawn: forkModelHost() },
    );
    await expect(remote).rejects.toMatchObject({ code: 'model-missing' });
  });

  it('stops a model process that hangs while loading, with a clear error', async () => {
    let pid: number | undefined;
    const spawn = forkModelHost({
      entry: join(import.meta.dirname, 'testing/stalled-host-entry.ts'),
    });
    const started = Date.now();
    const remote = createRemoteEngine(options, {
      spawn: () => {
        const host = spawn();
        pid = host.pid;
        return host;
      },
      loadTimeoutMs: 3_000,
    });
    await expect(remote).rejects.toMatchObject({
      code: 'model-invalid',
      message: expect.stringMatching(/did not finish loading within 3 s/),
    });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(pid !== undefined && isRunning(pid)).toBe(false);
  });

  it('reports a process that dies while loading as a clear error', async () => {
    const spawn = forkModelHost({
      entry: join(import.meta.dirname, 'testing/exiting-host-entry.ts'),
    });
    await expect(createRemoteEngine(options, { spawn })).rejects.toMatchObject({
      code: 'model-invalid',
      message: expect.stringMatching(/stopped while loading stories260K\.gguf/),
    });
  });

  it('stops a model process that replies outside the protocol', async () => {
    let pid: number | undefined;
    const spawn = forkModelHost({
      entry: join(import.meta.dirname, 'testing/lying-host-entry.ts'),
    });
    const remote = createRemoteEngine(options, {
      spawn: () => {
        const host = spawn();
        pid = host.pid;
        return host;
      },
    });
    await expect(remote).rejects.toMatchObject({
      code: 'model-invalid',
      message: expect.stringMatching(/unreadable reply while loading/),
    });
    expect(pid !== undefined && isRunning(pid)).toBe(false);
  });

  it('ends its process on dispose', async () => {
    const engine = await createRemoteEngine(options, { spawn: forkModelHost() });
    const pid = engine.pid;
    expect(pid !== undefined && isRunning(pid)).toBe(true);
    await engine.dispose();
    expect(pid !== undefined && isRunning(pid)).toBe(false);
    const after = await collect(engine.generate(ask('Once upon a time')));
    expect(after).toEqual([
      { type: 'error', error: { code: 'cancelled', message: 'The model has been unloaded.' } },
    ]);
  });
});
