import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerEvent, Mode } from '../../shared';
import {
  ensureFixtures,
  FIXTURE_GRPO_PARTS,
  FIXTURE_REPLIES,
  fixturePaths,
} from '../../../models/fixtures';
import { createRemoteEngine, forkModelHost } from '.';
import type { RemoteEngine } from '.';

let engine: RemoteEngine;

beforeAll(async () => {
  await ensureFixtures();
  engine = await createRemoteEngine(
    {
      modelPath: fixturePaths.base,
      // The GRPO slot holds an adapter made for another base: only its modes may refuse.
      adapters: { sft: fixturePaths.sft, grpo: fixturePaths.adapterOtherArch },
      gpu: false,
      threads: 1,
      contextSize: 1024,
    },
    { spawn: forkModelHost() },
  );
});

afterAll(async () => {
  await engine?.dispose();
});

async function answer(mode: Mode): Promise<AnswerEvent[]> {
  const events: AnswerEvent[] = [];
  for await (const event of engine.generate({
    mode,
    messages: [{ role: 'user', text: 'What is two plus two?' }],
    temperature: 0,
  })) {
    events.push(event);
  }
  return events;
}

describe('the fixture model served from its own process', () => {
  it('reports the adapter made for another base as adapter-mismatch, across the process boundary', () => {
    const info = engine.info();
    expect(info.architecture).toBe('qwen2');
    expect(info.adapters).toEqual({ sft: fixturePaths.sft });
    expect(info.adapterErrors.grpo?.code).toBe('adapter-mismatch');
  });

  it('answers chat with the SFT adapter', async () => {
    await expect(engine.prepare('chat')).resolves.toMatchObject({ mode: 'chat', adapter: 'sft' });
    const events = await answer('chat');
    const text = events.map((event) => (event.type === 'text' ? event.text : '')).join('');
    expect(text).toBe(FIXTURE_REPLIES.sft);
    expect(events.at(-1)).toMatchObject({
      type: 'done',
      stats: { adapter: 'sft', stopReason: 'eos' },
    });
  });

  it('refuses reasoning with adapter-mismatch instead of answering with the wrong weights', async () => {
    const events = await answer('reasoning');
    expect(events.some((event) => event.type === 'reasoning' || event.type === 'solution')).toBe(
      false,
    );
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'adapter-mismatch' } });
    await expect(engine.prepare('reasoning')).rejects.toMatchObject({ code: 'adapter-mismatch' });
  });
});

describe('reasoning through the GRPO adapter in the model process', () => {
  it('streams reasoning and solution as separate events', async () => {
    const remote = await createRemoteEngine(
      {
        modelPath: fixturePaths.base,
        adapters: { grpo: fixturePaths.grpo },
        gpu: false,
        threads: 1,
        contextSize: 1024,
      },
      { spawn: forkModelHost() },
    );
    try {
      const events: AnswerEvent[] = [];
      for await (const event of remote.generate({
        mode: 'reasoning',
        messages: [{ role: 'user', text: 'What is two plus two?' }],
        temperature: 0,
      })) {
        events.push(event);
      }
      const join = (type: 'reasoning' | 'solution'): string =>
        events.map((event) => (event.type === type ? event.text : '')).join('');
      expect(join('reasoning')).toBe(FIXTURE_GRPO_PARTS.reasoning);
      expect(join('solution')).toBe(FIXTURE_GRPO_PARTS.solution);
      expect(events.at(-1)).toMatchObject({ type: 'done', stats: { adapter: 'grpo' } });
    } finally {
      await remote.dispose();
    }
  });
});
