import { describe, expect, it } from 'vitest';
import { readSseData } from './read-sse-data';

function body(...parts: string[]): ReadableStream<Uint8Array> {
  const bytes = parts.map((part) => new TextEncoder().encode(part));
  return new ReadableStream({
    start(controller) {
      for (const chunk of bytes) controller.enqueue(chunk);
      controller.close();
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const out: string[] = [];
  for await (const data of readSseData(stream)) out.push(data);
  return out;
}

describe('readSseData', () => {
  it('yields each event’s data, across chunk boundaries and CRLF line ends', async () => {
    expect(
      await collect(
        body('data: {"a":1}\n\nda', 'ta: {"b":2}\r\n\r\n: keep-alive\n\n', 'data: [DONE]\n\n'),
      ),
    ).toEqual(['{"a":1}', '{"b":2}', '[DONE]']);
  });

  it('joins multi-line data and keeps a last event that lacks its blank line', async () => {
    expect(await collect(body('data: one\ndata: two\n\nevent: x\ndata:three'))).toEqual([
      'one\ntwo',
      'three',
    ]);
  });

  it('keeps a multi-byte character split between chunks whole', async () => {
    const euro = new TextEncoder().encode('data: 5 €\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(euro.slice(0, 9));
        controller.enqueue(euro.slice(9));
        controller.close();
      },
    });
    expect(await collect(stream)).toEqual(['5 €']);
  });
});
