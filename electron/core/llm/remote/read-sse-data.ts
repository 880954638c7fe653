/**
 * The `data:` payloads of a server-sent event stream, one per event, in order. Comments and other
 * fields are skipped. Ends when the body ends; a cut connection rejects with the fetch error.
 */
export async function* readSseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffered = '';
  let data: string[] = [];
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      buffered += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let newline = buffered.search(/\r?\n/);
      while (newline !== -1) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(buffered[newline] === '\r' ? newline + 2 : newline + 1);
        if (line === '') {
          if (data.length > 0) yield data.join('\n');
          data = [];
        } else if (line.startsWith('data:')) {
          data.push(line.slice(line[5] === ' ' ? 6 : 5));
        }
        newline = buffered.search(/\r?\n/);
      }
      if (done) break;
    }
    // A last event without its blank line still counts.
    if (buffered.startsWith('data:')) data.push(buffered.slice(buffered[5] === ' ' ? 6 : 5));
    if (data.length > 0) yield data.join('\n');
  } finally {
    // Closing the body closes the connection, which is how the server learns to stop generating.
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
