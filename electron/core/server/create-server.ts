import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PonderCore } from '../app/ponder-core-types';
import { PonderError } from '../errors';
import { createAnswerGate } from './answer-gate';
import { HttpError } from './http-error';
import { DEFAULT_BODY_LIMIT_BYTES, readJsonBody } from './read-json-body';
import {
  allowedHostHeaders,
  checkBearerToken,
  checkFetchSite,
  checkHostAndOrigin,
  generateToken,
  isLoopbackHost,
} from './request-guard';
import { createRouter } from './router';
import { apiRoutes } from './routes/api-routes';
import { messageRoutes } from './routes/message-routes';
import { adapterImportRoutes } from './routes/adapter-import-route';
import { modelCheckRoutes } from './routes/model-check-route';
import { engineTestRoutes } from './routes/engine-test-route';
import { generateRoute } from './routes/generate-route';
import { searchRoute } from './routes/search-route';
import { openAiErrorFields, openAiRoutes } from './routes/openai-routes';
import { SECURITY_HEADERS } from './security-headers';
import { sendError } from './send-json';
import type { RequestContext, ServerContext } from './server-context';
import { createStaticFiles } from './static-files';

export const DEFAULT_PORT = 8765;

export interface ServerOptions {
  core: PonderCore;
  /** 0 picks a free port. @default 8765 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** A host other than loopback is refused unless this is set (`ponder serve --host` sets it and warns). */
  allowNonLoopback?: boolean;
  /** The bearer token; a random one when absent. */
  token?: string;
  /** The built renderer (`out/renderer`); null serves no UI. */
  staticDir?: string | null;
  /** @default 1 MiB */
  bodyLimitBytes?: number;
  /** Longest one answer may run. @default 10 minutes */
  answerTimeoutMs?: number;
  /** Answers that may wait while another runs; more get 429 `engine-busy`. @default 4 */
  maxWaiting?: number;
  /** Longest a client may take to send its request (headers and body). @default 30 s */
  requestTimeoutMs?: number;
}

export interface PonderServer {
  readonly port: number;
  readonly token: string;
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** The UI with the token in the fragment (never sent to the server or written to its logs). */
  readonly uiUrl: string;
  /** Stops accepting, lets running requests end (cancelling answers after `graceMs`), then resolves. */
  close(graceMs?: number): Promise<void>;
}

const API_PREFIX = /^\/(api|v1|generate)(\/|$)/;

/** The HTTP API and web UI on 127.0.0.1 around one PonderCore (SECURITY.md #4, #6, #15). */
export async function createServer(options: ServerOptions): Promise<PonderServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && !options.allowNonLoopback) {
    throw new PonderError('invalid-input', `Ponder serves only on 127.0.0.1, not on ${host}.`, {
      hint: 'Anyone who can reach another address could use your model; pass --host explicitly to accept that.',
    });
  }
  const token = options.token ?? generateToken();
  if (token.length < 16) {
    throw new PonderError('invalid-input', 'The token must be at least 16 characters.', {
      hint: 'Leave --token out and Ponder makes a random one.',
    });
  }
  const context: ServerContext = {
    core: options.core,
    gate: createAnswerGate(options.maxWaiting ?? 4),
    answerTimeoutMs: options.answerTimeoutMs ?? 10 * 60_000,
    bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
  };
  const router = createRouter<RequestContext>([
    generateRoute,
    ...apiRoutes,
    ...messageRoutes,
    ...modelCheckRoutes,
    ...engineTestRoutes(),
    ...adapterImportRoutes,
    searchRoute,
    ...openAiRoutes,
  ]);
  const serveStatic = createStaticFiles(options.staticDir ?? null);
  let allowedHosts = new Set<string>();
  const inFlight = new Set<Promise<void>>();

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    const rawUrl = request.url ?? '/';
    const rawPath = rawUrl.split('?', 1)[0] ?? '/';
    const isApi = API_PREFIX.test(rawPath);
    try {
      checkHostAndOrigin(request, { allowedHosts, token });
      if (!rawPath.startsWith('/'))
        throw new HttpError(400, 'invalid-input', 'Malformed request URL.');
      if (!isApi) {
        await serveStatic(request, response, rawPath);
        return;
      }
      checkFetchSite(request);
      checkBearerToken(request, token);
      const { route, params } = router.match(request.method ?? 'GET', rawPath);
      let body: Promise<unknown> | undefined;
      await route.handle(
        {
          server: context,
          request,
          response,
          url: new URL(rawUrl, 'http://127.0.0.1'),
          body: () => (body ??= readJsonBody(request, context.bodyLimitBytes)),
        },
        params,
      );
    } catch (error) {
      sendError(response, error, rawPath.startsWith('/v1/') ? openAiErrorFields : undefined);
    }
  }

  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  const server = createHttpServer(
    {
      requestTimeout,
      headersTimeout: Math.min(10_000, requestTimeout),
      keepAliveTimeout: 5_000,
      // How often slow clients are checked against those timeouts (Node's default is 30 s).
      connectionsCheckingInterval: Math.min(1_000, requestTimeout),
    },
    (request, response) => {
      const running = handle(request, response).catch(() => {
        // handle() answers every failure itself; this only guards against a broken socket.
        response.destroy();
      });
      inFlight.add(running);
      void running.finally(() => inFlight.delete(running));
    },
  );

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        error.code === 'EADDRINUSE'
          ? new PonderError(
              'invalid-input',
              `Port ${options.port ?? DEFAULT_PORT} is already in use.`,
              {
                hint: 'Pass --port with another number, or --port 0 for any free port.',
              },
            )
          : new PonderError('internal', `Could not listen on ${host}: ${error.message}`),
      );
    };
    server.once('error', onError);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = allowedHostHeaders(port, host);
  const url = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | undefined;
  return {
    port,
    token,
    url,
    uiUrl: `${url}/#token=${token}`,
    close(graceMs = 2_000) {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const settled = Promise.allSettled([...inFlight]);
        const grace = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
        await Promise.race([settled, grace]);
        // Cutting the sockets aborts the answers still running; wait for them to wind down.
        server.closeAllConnections();
        await Promise.allSettled([...inFlight]);
        await stopped;
      })();
      return closing;
    },
  };
}
