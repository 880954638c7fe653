import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ERROR_CODES } from '../../shared';
import { rawRequest } from './testing/http-client';
import type { RawResponse } from './testing/http-client';
import { startTestServer } from './testing/start-test-server';
import type { TestServer } from './testing/start-test-server';

let t: TestServer;
beforeAll(async () => {
  // A real core without a model: valid questions end in `model-missing`, never in a load.
  t = await startTestServer();
});
afterAll(async () => t?.close());

const send = (
  method: string,
  path: string,
  body?: string | Buffer,
  contentType = 'application/json',
) =>
  rawRequest({
    port: t.port,
    method,
    path,
    headers: {
      Authorization: `Bearer ${t.token}`,
      ...(body !== undefined ? { 'Content-Type': contentType } : {}),
    },
    ...(body !== undefined ? { body } : {}),
  });

function errorOf(response: RawResponse): { code: string; message: string } {
  return response.json<{ error: { code: string; message: string } }>().error;
}

describe('request bodies', () => {
  it.each([
    ['POST', '/api/ask', {}, 'mode'],
    ['POST', '/api/ask', { mode: 'chat' }, 'text'],
    ['POST', '/api/ask', { mode: 'poetry', text: 'hi' }, 'mode'],
    ['POST', '/api/ask', { mode: 'chat', text: '   ' }, 'text'],
    ['POST', '/api/ask', { mode: 'chat', text: 'x'.repeat(32_001) }, 'text'],
    [
      'POST',
      '/api/ask',
      { mode: 'chat', text: 'hi', conversationId: "1' OR 1=1" },
      'conversationId',
    ],
    ['POST', '/api/ask', { mode: 'chat', text: 'hi', extra: true }, 'extra'],
    ['POST', '/api/ask', [], 'body'],
    ['POST', '/generate', { mode: 'chat' }, 'query'],
    ['POST', '/generate', { query: 42 }, 'query'],
    ['POST', '/generate', { query: 'hi', mode: 'fast' }, 'mode'],
    // Deep Search's budgets and Auto's previous mode, on both question routes.
    ['POST', '/api/ask', { mode: 'search', text: 'hi', research: { pages: 0 } }, 'research.pages'],
    [
      'POST',
      '/api/ask',
      { mode: 'search', text: 'hi', research: { wallMs: 1500.5 } },
      'research.wallMs',
    ],
    ['POST', '/api/ask', { mode: 'chat', text: 'hi', previousRoute: 'fast' }, 'previousRoute'],
    ['POST', '/api/ask', { mode: 'search', text: 'hi', selfSearch: 'yes' }, 'selfSearch'],
    ['POST', '/generate', { query: 'hi', research: { rounds: 11 } }, 'research.rounds'],
    ['POST', '/generate', { query: 'hi', research: { tokens: '5' } }, 'research.tokens'],
    ['POST', '/generate', { query: 'hi', previous_route: 'deep' }, 'previous_route'],
    ['POST', '/v1/chat/completions', { messages: [] }, 'model'],
    ['POST', '/api/ask', { mode: 'chat', text: 'hi', stop: '' }, 'stop'],
    ['POST', '/generate', { query: 'hi', stop: ['a', ''] }, 'stop.1'],
    [
      'POST',
      '/v1/chat/completions',
      {
        model: 'ponder-chat',
        messages: [{ role: 'user', content: 'hi' }],
        stop: Array(17).fill('x'),
      },
      'stop',
    ],
    ['POST', '/v1/chat/completions', { model: 'ponder-chat', messages: [] }, 'messages'],
    [
      'POST',
      '/v1/chat/completions',
      { model: 'ponder-chat', messages: [{ role: 'wizard', content: 'hi' }] },
      'messages.0.role',
    ],
    [
      'POST',
      '/v1/chat/completions',
      {
        model: 'ponder-chat',
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: 'yo' },
        ],
      },
      'messages.1.role',
    ],
    [
      'POST',
      '/v1/chat/completions',
      {
        model: 'ponder-chat',
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }],
      },
      'messages.0.content.0.type',
    ],
    [
      'POST',
      '/v1/chat/completions',
      { model: 'ponder-chat', messages: [{ role: 'user', content: 'hi' }], temperature: 9 },
      'temperature',
    ],
    [
      'POST',
      '/v1/chat/completions',
      { model: 'ponder-chat', messages: [{ role: 'user', content: 'hi' }], n: 3 },
      'n',
    ],
    ['PATCH', '/api/settings', { topK: 0 }, 'topK'],
    ['PATCH', '/api/settings', { threads: 'many' }, 'threads'],
    ['PATCH', '/api/settings', { searxngUrl: 'javascript:alert(1)' }, 'searxngUrl'],
    ['PATCH', '/api/settings', { unknownSetting: 1 }, 'unknownSetting'],
    ['PATCH', '/api/settings', { research: { rounds: 0 } }, 'research.rounds'],
    ['PATCH', '/api/settings', { research: { selfSearch: 'on' } }, 'research.selfSearch'],
    [
      'PATCH',
      '/api/settings',
      { research: { selfSearchTags: { open: '<a b>' } } },
      'research.selfSearchTags.open',
    ],
    ['PATCH', '/api/conversations/abc', {}, 'body'],
    ['PATCH', '/api/conversations/abc', { title: '' }, 'title'],
    ['PATCH', '/api/conversations/abc', { pinned: 'yes' }, 'pinned'],
    ['POST', '/api/models/download', { id: 7 }, 'id'],
  ] as const)('%s %s %j → 400 naming "%s"', async (method, path, body, field) => {
    const response = await send(method, path, JSON.stringify(body));
    expect(response.status).toBe(400);
    const error = errorOf(response);
    expect(error.code).toBe('invalid-input');
    expect(error.message).toContain(`"${field}"`);
    if (path.startsWith('/v1/'))
      expect(response.json<{ error: { param: string } }>().error.param).toBe(field);
  });

  it.each([
    [
      'POST',
      '/v1/chat/completions',
      { model: 'gpt-4', messages: [{ role: 'user', content: 'hi' }] },
    ],
    ['GET', '/v1/models/gpt-4', undefined],
  ] as const)(
    '%s %s for a model Ponder lacks → 404 model_not_found naming "model"',
    async (method, path, body) => {
      const response = await send(
        method,
        path,
        body === undefined ? undefined : JSON.stringify(body),
      );
      expect(response.status).toBe(404);
      expect(response.json<{ error: unknown }>().error).toMatchObject({
        code: 'model_not_found',
        type: 'invalid_request_error',
        param: 'model',
        message: 'The model "gpt-4" does not exist.',
      });
    },
  );

  it('describes each mode at GET /v1/models/{id}', async () => {
    const response = await send('GET', '/v1/models/ponder-reasoning');
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({
      id: 'ponder-reasoning',
      object: 'model',
      owned_by: 'ponder',
    });
  });

  it.each([
    ['/api/conversations/search', 'q'],
    ['/api/conversations/search?q=%20', 'q'],
    ['/api/conversations/abc/export', 'format'],
    ['/api/conversations/abc/export?format=pdf', 'format'],
    ['/api/conversations/..%2F..%2Fetc/export?format=md', 'id'],
    ['/api/conversations/%3Cscript%3E', 'id'],
  ])('GET %s → 400 naming "%s"', async (path, field) => {
    const response = await send('GET', path);
    expect(response.status).toBe(400);
    expect(errorOf(response).message).toContain(`"${field}"`);
  });

  it('refuses malformed JSON, an empty body and a non-JSON content type', async () => {
    const malformed = await send('POST', '/api/ask', '{"mode": "chat", "text": ');
    expect(malformed.status).toBe(400);
    expect(errorOf(malformed).message).toMatch(/not valid JSON/);
    expect((await send('POST', '/api/ask', '')).status).toBe(400);
    const form = await send('POST', '/generate', 'query=hi', 'application/x-www-form-urlencoded');
    expect(form.status).toBe(415);
    expect(errorOf(form).code).toBe('invalid-input');
    const plain = await send('POST', '/generate', '{"query":"hi"}', 'text/plain');
    expect(plain.status).toBe(415);
  });

  it('refuses a body over the cap with 413 and keeps answering', async () => {
    const huge = JSON.stringify({ mode: 'chat', text: 'x'.repeat(2 * 1024 * 1024) });
    const response = await send('POST', '/api/ask', huge);
    expect(response.status).toBe(413);
    expect(errorOf(response).code).toBe('payload-too-large');
    expect((await send('GET', '/api/health')).status).toBe(200);
  });

  it('answers a valid question without a model with a clear model-missing error', async () => {
    const generate = await send('POST', '/generate', JSON.stringify({ query: 'hi', mode: 'chat' }));
    // Asking again cannot help until a person sets a model: a status no SDK retries.
    expect(generate.status).toBe(400);
    expect(generate.headers['x-should-retry']).toBe('false');
    expect(errorOf(generate).code).toBe('model-missing');
    const openai = await send(
      'POST',
      '/v1/chat/completions',
      JSON.stringify({ model: 'ponder-chat', messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(openai.status).toBe(400);
    expect(openai.headers['x-should-retry']).toBe('false');
    expect(openai.json<{ error: { code: string; type: string } }>().error).toMatchObject({
      code: 'model-missing',
      type: 'invalid_request_error',
    });
  });
});

/** A small seeded generator so a failing fuzz case can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  const int = (max: number): number => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const string = (): string =>
    pick([
      '',
      ' ',
      'chat',
      'reasoning',
      'search',
      'ponder-chat',
      'user',
      'new',
      'all',
      '__proto__',
      'constructor',
      '<img src=x onerror=alert(1)>',
      "'; DROP TABLE messages; --",
      '../../etc/passwd',
      '\u0000\uffff\ud800',
      'x'.repeat(int(40_000)),
      String(next()),
    ]);
  const value = (depth: number): unknown => {
    switch (int(depth > 3 ? 5 : 8)) {
      case 0:
        return null;
      case 1:
        return next() < 0.5;
      case 2:
        return pick([0, -1, 1e308, -0.5, 2 ** 53, Number.MAX_SAFE_INTEGER, 3]);
      case 3:
      case 4:
        return string();
      case 5:
        return Array.from({ length: int(5) }, () => value(depth + 1));
      default: {
        const keys = [
          'mode',
          'text',
          'query',
          'model',
          'messages',
          'role',
          'content',
          'stream',
          'id',
          'title',
          'pinned',
          'topK',
          '__proto__',
          'regenerate',
          'conversationId',
          'max_tokens',
        ];
        return Object.fromEntries(
          Array.from({ length: int(6) }, () => [pick(keys), value(depth + 1)]),
        );
      }
    }
  };
  return { next, int, pick, value, string };
}

const FUZZ_ROUTES = [
  ['POST', '/api/ask', { mode: 'chat', text: 'hi' }],
  ['POST', '/generate', { query: 'hi', mode: 'chat' }],
  [
    'POST',
    '/v1/chat/completions',
    { model: 'ponder-chat', messages: [{ role: 'user', content: 'hi' }] },
  ],
  ['PATCH', '/api/settings', { topK: 5 }],
  ['PATCH', '/api/conversations/abc', { title: 'A title' }],
  ['POST', '/api/models/download', { id: 'qwen' }],
] as const;

describe('fuzz', () => {
  it.each(FUZZ_ROUTES)(
    '%s %s: 300 random and malformed bodies each get a clear answer, and the server stays up',
    async (method, path, valid) => {
      const rng = random(path.length * 7919 + method.length);
      for (let round = 0; round < 300; round += 1) {
        let body: string | Buffer;
        switch (rng.int(5)) {
          case 0:
            body = Buffer.from(Array.from({ length: rng.int(200) }, () => rng.int(256)));
            break;
          case 1: {
            const text = JSON.stringify(valid);
            body = text.slice(0, rng.int(text.length));
            break;
          }
          case 2: {
            const mutated: Record<string, unknown> = { ...valid };
            const key = rng.pick([...Object.keys(valid), 'extra', '__proto__']);
            if (rng.next() < 0.3) delete mutated[key];
            else mutated[key] = rng.value(0);
            body = JSON.stringify(mutated);
            break;
          }
          case 3:
            body = JSON.stringify(rng.value(0)) ?? 'undefined';
            break;
          default:
            body = `${'['.repeat(rng.int(5000))}${']'.repeat(rng.int(5000))}`;
        }
        const response = await send(method, path, body);
        const where = `round ${round}: ${String(body).slice(0, 120)}`;
        expect(response.status, where).not.toBe(500);
        if (response.status === 200 && response.headers['content-type']?.includes('event-stream')) {
          // A body that happened to be valid: the stream must still end with one final event.
          const last = response.text.trim().split('\n\n').at(-1) ?? '';
          expect(last, where).toMatch(/^data: \{"type":"(done|error)"/);
          continue;
        }
        if (response.status === 204 || response.status === 200) continue;
        expect(response.status, where).toBeGreaterThanOrEqual(400);
        const error = errorOf(response);
        // OpenAI's own code where one applies; Ponder's AppError code otherwise.
        expect([...APP_ERROR_CODES, 'model_not_found'], where).toContain(error.code);
        expect(error.message.length, where).toBeGreaterThan(0);
        expect(error.message, where).not.toMatch(/\n\s+at /);
      }
      const health = await send('GET', '/api/health');
      expect(health.status).toBe(200);
    },
  );

  it('random query strings and ids on the GET routes', async () => {
    const rng = random(42);
    for (let round = 0; round < 300; round += 1) {
      const junk = rng.pick([
        encodeURIComponent(
          rng
            .string()
            .slice(0, 300)
            .replace(/[\ud800-\udfff]/g, '?'),
        ),
        '%E0%A4%A',
        '%',
        '%00',
        '..%2f..',
      ]);
      const path = rng.pick([
        `/api/conversations/search?q=${junk}`,
        `/api/conversations/${junk || 'x'}`,
        `/api/conversations/${junk || 'x'}/export?format=${junk}`,
        `/api/conversations/x/export?format=${rng.pick(['md', 'json', junk])}`,
      ]);
      const response = await send(rng.pick(['GET', 'DELETE']), path);
      expect(response.status, path).not.toBe(500);
      if (response.status >= 400) expect(APP_ERROR_CODES).toContain(errorOf(response).code);
    }
    expect((await send('GET', '/api/health')).status).toBe(200);
  });
});

describe('slow clients', () => {
  it('answers 408 to a client that never finishes its request, and keeps serving', async () => {
    const slow = await startTestServer({ server: { requestTimeoutMs: 1_000 } });
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(slow.port, '127.0.0.1', () => {
          socket.write(
            `POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1:${slow.port}\r\nAuthorization: Bearer ${slow.token}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"mode":`,
          );
        });
        let received = '';
        socket.on('data', (chunk) => (received += chunk.toString()));
        socket.on('close', () => resolve(received));
        socket.on('error', reject);
        setTimeout(() => reject(new Error('the server never gave up on the slow request')), 10_000);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect((await slow.api('/api/health')).status).toBe(200);
    } finally {
      await slow.close();
    }
  });
});
