import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerEvent } from '../../shared';
import {
  ensureFixtures,
  FIXTURE_GRPO_PARTS,
  FIXTURE_REPLIES,
  fixturePaths,
} from '../../../models/fixtures';
import {
  startLlamaServer,
  type LlamaServerProcess,
} from '../llm/remote/testing/start-llama-server';
import { createPonderCore } from './create-ponder-core';

let server: LlamaServerProcess;
beforeAll(async () => {
  await ensureFixtures();
  server = await startLlamaServer({
    model: fixturePaths.base,
    loras: [fixturePaths.sft, fixturePaths.grpo],
    apiKey: 'core-test-key-987',
  });
});
afterAll(async () => {
  await server?.stop();
});

async function answer(events: AsyncIterable<AnswerEvent>): Promise<AnswerEvent[]> {
  const out: AnswerEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

describe('Ponder with the remote engine', () => {
  it('answers from the server without a model file, and health shows the server', async () => {
    const core = await createPonderCore({
      flags: {
        dataDir: mkdtempSync(path.join(os.tmpdir(), 'ponder-remote-core-')),
        engineUrl: server.url,
        engineKeyEnv: 'PONDER_TEST_ENGINE_KEY',
        modeLoras: ['chat=0', 'reasoning=1'],
      },
      env: { PONDER_TEST_ENGINE_KEY: 'core-test-key-987' },
      memory: false,
    });
    try {
      expect(core.config.modelPath).toBeNull();
      const chat = await answer(core.ask({ mode: 'chat', text: '2+2?', temperature: 0 }));
      const text = chat.flatMap((e) => (e.type === 'text' ? [e.text] : [])).join('');
      expect(text).toBe(FIXTURE_REPLIES.sft);
      const reasoning = await answer(core.ask({ mode: 'reasoning', text: '2+2?', temperature: 0 }));
      const solution = reasoning.flatMap((e) => (e.type === 'solution' ? [e.text] : [])).join('');
      expect(solution).toBe(FIXTURE_GRPO_PARTS.solution);

      const health = await core.health();
      expect(health.status).not.toMatch(/error|no-model|loading/);
      expect(health.model).toMatchObject({ path: server.url, architecture: 'remote' });
      expect(JSON.stringify(health)).not.toContain('core-test-key-987');
      expect(JSON.stringify(core.settings.get())).not.toContain('core-test-key-987');
    } finally {
      await core.dispose();
    }
  });

  it('reports an unreachable server in health and in the answer, as one line', async () => {
    const core = await createPonderCore({
      flags: {
        dataDir: mkdtempSync(path.join(os.tmpdir(), 'ponder-remote-core-')),
        engineUrl: 'http://127.0.0.1:9',
      },
      env: {},
      memory: false,
    });
    try {
      const events = await answer(core.ask({ mode: 'chat', text: 'hi' }));
      const error = events.find((e) => e.type === 'error');
      expect(error).toMatchObject({
        error: {
          code: 'model-crashed',
          message: expect.stringMatching(
            /^The engine at http:\/\/127\.0\.0\.1:9 cannot be reached/,
          ),
        },
      });
      const health = await core.health();
      expect(health.status).toBe('error');
      expect(health.error?.message).toMatch(/cannot be reached/);
    } finally {
      await core.dispose();
    }
  });
});
