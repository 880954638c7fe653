import type { ServerResponse } from 'node:http';

/** Aborts when the client closes the connection before the response was fully sent. */
export function clientSignal(response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  return controller.signal;
}
