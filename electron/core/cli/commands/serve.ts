import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createPonderCore } from '../../app';
import { nodeEngineFactory } from '../../model-host';
import { createServer, DEFAULT_PORT } from '../../server';
import type { CliCommand } from '../cli-command';
import { CORE_FLAG_OPTIONS, CORE_FLAGS_USAGE, coreFlagsFrom } from '../common-flags';
import { packageFile } from '../package-root';
import { UsageError, usageErrorFromParseArgs } from '../usage-error';

/** Where `electron-vite build` writes the renderer (the same from the sources and from dist/cli). */
const BUILT_RENDERER = packageFile('out/renderer');

/** Shorter tokens could be guessed by another program on this computer. */
const MIN_TOKEN_CHARS = 16;

const USAGE = `Usage: ponder serve [options]

Starts Ponder's HTTP API and web UI on http://127.0.0.1:PORT and prints the address with its token.

  --port N                 port to listen on (default ${DEFAULT_PORT}; 0 for any free port)
  --token T                bearer token for the API, at least ${MIN_TOKEN_CHARS} characters so it cannot be
                           guessed (default: a new random one each start)
  --host H                 listen on another address (exposes Ponder beyond this computer)
  --ui DIR                 the built web UI (default: out/renderer)
${CORE_FLAGS_USAGE}
  -h, --help               show this help`;

function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new UsageError(`--port must be a number from 0 to 65535, not "${value}".`);
  }
  return port;
}

function checkToken(token: string | undefined): void {
  if (token === undefined || token.length >= MIN_TOKEN_CHARS) return;
  throw new UsageError(
    `--token must be at least ${MIN_TOKEN_CHARS} characters so it cannot be guessed; this one has ${token.length}.`,
    'Leave --token out and Ponder makes a random one.',
  );
}

function parseFlags(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        ...CORE_FLAG_OPTIONS,
        port: { type: 'string' },
        token: { type: 'string' },
        host: { type: 'string' },
        ui: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw usageErrorFromParseArgs(error, 'serve');
  }
}

/**
 * Waits for Ctrl+C. A dependency installs signal-exit, which re-raises SIGINT (killing the process
 * before the server and the model are shut down) when it sees no other listener; the CLI's own
 * listener is a `once` and already gone by then, so one stays registered while serving.
 */
async function untilAborted(signal: AbortSignal): Promise<void> {
  const stay = (): void => undefined;
  process.on('SIGINT', stay);
  process.on('SIGTERM', stay);
  try {
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
  } finally {
    process.off('SIGINT', stay);
    process.off('SIGTERM', stay);
  }
}

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'start the HTTP API and the web UI on 127.0.0.1',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseFlags(argv);
    if (values.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const port = parsePort(values.port);
    checkToken(values.token);
    const staticDir = values.ui ?? BUILT_RENDERER;
    const core = await createPonderCore({
      flags: coreFlagsFrom(values),
      env: io.env,
      onCorruptDatabase: values.recover ? 'recover' : 'fail',
      // The model runs in a child process, so a native crash cannot take the server down.
      engineFactory: nodeEngineFactory({}, io.env),
    });
    try {
      // A bad --model is refused here with one line, before anything listens; a good one starts
      // loading, and /api/health says `loading` until it is ready and how each adapter fared.
      await core.checkModel();
      if (values.host !== undefined && !['127.0.0.1', 'localhost', '::1'].includes(values.host)) {
        io.stderr.write(
          `Warning: listening on ${values.host}. Anyone who can reach it and has the token can use your model and read your conversations.\n`,
        );
      }
      const server = await createServer({
        core,
        port,
        staticDir,
        ...(values.host !== undefined ? { host: values.host, allowNonLoopback: true } : {}),
        ...(values.token !== undefined ? { token: values.token } : {}),
      });
      if (!existsSync(staticDir)) {
        io.stderr.write(
          `The web UI is not built (${staticDir} is missing); the API works. Run \`npx electron-vite build\` for the UI.\n`,
        );
      }
      if (core.config.warning) io.stderr.write(`${core.config.warning}\n`);
      for (const notice of (await core.health()).notices ?? []) {
        if (notice !== core.config.warning) io.stderr.write(`${notice}\n`);
      }
      io.stdout.write(
        [
          `Ponder is serving at ${server.url}`,
          `Open the web UI:  ${server.uiUrl}`,
          `API token:        ${server.token}`,
          `Model:            ${core.config.modelPath ?? 'none configured (the UI offers a download)'}`,
          'Press Ctrl+C to stop.',
          '',
        ].join('\n'),
      );
      await untilAborted(io.signal);
      io.stdout.write('Stopping…\n');
      await server.close();
      return 0;
    } finally {
      await core.dispose();
    }
  },
};
