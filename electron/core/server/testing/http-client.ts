import { request as httpRequest } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json<T = unknown>(): T;
}

export interface RawRequest {
  port: number;
  method?: string;
  /** Sent exactly as given (no normalisation), so traversal attempts reach the server intact. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/**
 * One request with exactly the headers given: unlike fetch, node:http lets a test send a foreign
 * `Host` or `Origin` as a rebinding or cross-site page would.
 */
export function rawRequest(options: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      Host: `127.0.0.1:${options.port}`,
      ...options.headers,
    };
    if (options.body !== undefined)
      headers['Content-Length'] = String(Buffer.byteLength(options.body));
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: options.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers,
        setHost: false,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: <T>() => JSON.parse(text) as T,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Reads a `text/event-stream` body into the JSON (or raw) payload of each `data:` line. */
export async function readSse(
  response: Response,
  onData?: (payload: string, index: number) => boolean | void,
): Promise<{ payloads: string[]; frames: string[] }> {
  const reader = response.body?.getReader();
  if (!reader) throw new Error('no body');
  const decoder = new TextDecoder();
  const payloads: string[] = [];
  const frames: string[] = [];
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      frames.push(frame);
      if (!frame.startsWith('data: ')) continue;
      payloads.push(frame.slice('data: '.length));
      if (onData?.(frame.slice('data: '.length), payloads.length - 1) === true) {
        await reader.cancel();
        return { payloads, frames };
      }
    }
  }
  if (buffer.trim() !== '') frames.push(buffer);
  return { payloads, frames };
}
