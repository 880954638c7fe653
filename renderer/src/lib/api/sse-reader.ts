/**
 * Reads a `text/event-stream` body and yields the payload of each `data:` line. Ponder's server
 * writes one JSON value per `data:` line, so a line is a whole event; comments (`: ping`) and other
 * fields are skipped. Lines may arrive split across chunks.
 */
export async function* readSseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = buffer.search(/\r?\n/)) !== -1) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(buffer[newline] === '\r' ? newline + 2 : newline + 1);
        const data = dataOf(line);
        if (data !== undefined) yield data;
      }
    }
    const last = dataOf(buffer + decoder.decode());
    if (last !== undefined) yield last;
  } finally {
    reader.releaseLock();
  }
}

function dataOf(line: string): string | undefined {
  if (!line.startsWith('data:')) return undefined;
  return line.slice(line[5] === ' ' ? 6 : 5);
}
