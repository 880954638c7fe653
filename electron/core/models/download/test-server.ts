import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedRequest {
  path: string;
  range: string | undefined;
}

export interface TestServerOptions {
  /** Bytes per write. @default 65536 */
  chunkSize?: number;
  /** Pause between writes, so a test can cancel mid-download. @default 0 */
  delayMs?: number;
  /** Cut the connection of the next full request after this many body bytes. */
  dropAfter?: number;
  /** Answer Range requests with the whole file (200), as some servers do. */
  ignoreRange?: boolean;
}

/**
 * A real HTTP server on 127.0.0.1 for download tests: serves files by path with Range support
 * (206 / 416), 404 for anything else, and can stall or drop a connection mid-body.
 */
export async function startTestServer(
  files: Record<string, Buffer>,
  options: TestServerOptions = {},
) {
  const requests: ServedRequest[] = [];
  let dropAfter = options.dropAfter;
  const chunkSize = options.chunkSize ?? 65536;
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const range = request.headers.range;
    requests.push({ path, range });
    const body = files[path];
    if (!body) {
      response.writeHead(404).end('not found');
      return;
    }
    let start = 0;
    if (range && !options.ignoreRange) {
      start = Number(/^bytes=(\d+)-$/.exec(range)?.[1] ?? 0);
      if (start >= body.length) {
        response.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
        return;
      }
      response.writeHead(206, {
        'Content-Length': body.length - start,
        'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}`,
      });
    } else {
      response.writeHead(200, { 'Content-Length': body.length });
    }
    const limit = dropAfter;
    dropAfter = undefined;
    let offset = start;
    const pump = (): void => {
      if (response.destroyed) return;
      if (limit !== undefined && offset - start >= limit) {
        response.socket?.destroy();
        return;
      }
      if (offset >= body.length) {
        response.end();
        return;
      }
      const end = Math.min(
        offset + chunkSize,
        body.length,
        limit === undefined ? Infinity : start + limit,
      );
      response.write(body.subarray(offset, end));
      offset = end;
      setTimeout(pump, options.delayMs ?? 0);
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
