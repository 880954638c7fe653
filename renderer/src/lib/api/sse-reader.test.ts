import { describe, expect, it } from 'vitest';
import { readSseData } from './sse-reader';

function body(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function collect(chunks: string[]): Promise<string[]> {
  const out: string[] = [];
  for await (const data of readSseData(body(chunks))) out.push(data);
  return out;
}

describe('readSseData', () => {
  it('yields one payload per data line, across chunk boundaries and CRLF', async () => {
    const events = await collect([
      ': ping\n\n',
      'data: {"type":"reasoning","text":"a"}\n',
      '\ndata: {"type":"sol',
      'ution","text":"é"}\r\n\r\n',
      'event: x\ndata:{"type":"done"}',
    ]);
    expect(events.map((text) => JSON.parse(text))).toEqual([
      { type: 'reasoning', text: 'a' },
      { type: 'solution', text: 'é' },
      { type: 'done' },
    ]);
  });

  it('decodes a multi-byte character split between chunks', async () => {
    const bytes = new TextEncoder().encode('data: "ü"\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 8));
        controller.enqueue(bytes.slice(8));
        controller.close();
      },
    });
    const out: string[] = [];
    for await (const data of readSseData(stream)) out.push(data);
    expect(out).toEqual(['"ü"']);
  });
});
