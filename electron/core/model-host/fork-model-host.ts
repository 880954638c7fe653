import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ModelHostProcess, ModelHostSpawn } from './model-host-process';
import { modelProcessEnv } from './model-process-env';

/**
 * The host entry beside this module: the compiled `model-host.js` when this module is compiled
 * (dist/cli, out/main), else the TypeScript source, which is run through tsx.
 */
export const MODEL_HOST_ENTRY = fileURLToPath(
  import.meta.url.endsWith('.ts')
    ? new URL('./model-host-entry.ts', import.meta.url)
    : new URL('./model-host.js', import.meta.url),
);

/** How much of the host's stderr is kept for `stderrTail()` (llama.cpp logs there). */
const STDERR_TAIL_CHARS = 8_192;

export interface ForkModelHostOptions {
  /** @default MODEL_HOST_ENTRY */
  entry?: string;
  /** Extra environment for the model process. */
  env?: NodeJS.ProcessEnv;
}

export interface ForkedModelHost extends ModelHostProcess {
  /** The last lines llama.cpp and Node wrote to stderr, for diagnostics. */
  stderrTail(): string;
}

/** Node flags for the host: none for compiled JavaScript, tsx (by absolute path) for a `.ts` entry. */
function execArgvFor(entry: string): string[] {
  if (!entry.endsWith('.ts')) return [];
  return ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];
}

/**
 * A launcher for plain Node: `child_process.fork` of the host entry (tsx loaded by absolute path
 * only for a TypeScript entry, so `ponder` works from any directory), no inherited debugger or
 * loader flags, and stdio piped and drained so llama.cpp's logs never reach the terminal nor fill a
 * pipe and stall it.
 */
export function forkModelHost(options: ForkModelHostOptions = {}): ModelHostSpawn {
  const entry = options.entry ?? MODEL_HOST_ENTRY;
  const execArgv = execArgvFor(entry);
  return () => {
    const child = fork(entry, [], {
      execArgv,
      env: modelProcessEnv({ ...process.env, ...options.env }),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    let tail = '';
    child.stdout?.resume();
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      tail = (tail + chunk).slice(-STDERR_TAIL_CHARS);
    });
    const exitListeners: ((code: number | null) => void)[] = [];
    let exited = false;
    const onGone = (code: number | null): void => {
      if (exited) return;
      exited = true;
      for (const listener of exitListeners) listener(code);
    };
    child.on('exit', (code) => onGone(code));
    // A failed spawn emits `error` and may never emit `exit`.
    child.on('error', () => onGone(child.exitCode));

    const host: ForkedModelHost = {
      get pid() {
        return child.pid;
      },
      postMessage(message) {
        if (!child.connected) return;
        // A send racing the child's death reports through the callback, not by throwing.
        child.send(message as object, (error) => {
          if (error) child.kill('SIGKILL');
        });
      },
      on(event: 'message' | 'exit', listener: (value: never) => void) {
        if (event === 'message') child.on('message', listener as (message: unknown) => void);
        else exitListeners.push(listener as (code: number | null) => void);
        return host;
      },
      kill() {
        return child.kill('SIGKILL');
      },
      stderrTail: () => tail,
    };
    return host;
  };
}

export interface PrestartedModelHost {
  /** Hands out the process started early on the first call, fresh ones after. */
  spawn: ModelHostSpawn;
  /** Ends the early process if nobody took it (say, the command failed before asking). */
  release(): void;
}

/**
 * Starts a model process now, before it is needed: it loads llama.cpp's bindings (the slowest part
 * of starting) while the caller is still opening the database and building the agent.
 */
export function prestartModelHost(spawn: ModelHostSpawn): PrestartedModelHost {
  let early: ModelHostProcess | undefined = spawn();
  let exited = false;
  early.on('exit', () => {
    exited = true;
  });
  return {
    spawn: () => {
      const host = early && !exited ? early : spawn();
      early = undefined;
      return host;
    },
    release: () => {
      early?.kill();
      early = undefined;
    },
  };
}
