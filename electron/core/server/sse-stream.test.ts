import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openSseStream } from './sse-stream';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('openSseStream', () => {
  it('writes each value as exactly one data line, newlines and all', async () => {
    const url = await serve((_request, response) => {
      const stream = openSseStream(response);
      void (async () => {
        await stream.send({ type: 'text', text: 'one\n\ntwo\r\ndata: three' });
        await stream.send({ type: 'done' });
        await stream.sendRaw('[DONE]');
        stream.end();
      })();
    });
    const response = await fetch(url);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(await response.text()).toBe(
      'data: {"type":"text","text":"one\\n\\ntwo\\r\\ndata: three"}\n\n' +
        'data: {"type":"done"}\n\n' +
        'data: [DONE]\n\n',
    );
  });

  it('aborts its signal when the client hangs up, and not when the stream ends normally', async () => {
    let resolveAborted: (aborted: boolean) => void = () => undefined;
    const aborted = new Promise<boolean>((resolve) => (resolveAborted = resolve));
    const url = await serve((_request, response) => {
      const stream = openSseStream(response);
      stream.signal.addEventListener('abort', () => resolveAborted(true));
      void stream.send({ type: 'text', text: 'first' });
    });
    const controller = new AbortController();
    const response = await fetch(url, { signal: controller.signal });
    const reader = response.body?.getReader();
    await reader?.read();
    controller.abort();
    expect(await aborted).toBe(true);

    let endedSignal: AbortSignal | undefined;
    const url2 = await (async () => {
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
      return serve((_request, response) => {
        const stream = openSseStream(response);
        endedSignal = stream.signal;
        void stream.send({ type: 'done' }).then(() => stream.end());
      });
    })();
    expect(await (await fetch(url2)).text()).toBe('data: {"type":"done"}\n\n');
    expect(endedSignal?.aborted).toBe(false);
  });
});
