/**
 * A running model process as the parent sees it. Electron's `UtilityProcess` (from
 * `utilityProcess.fork`) satisfies this shape as it is; under plain Node, `forkModelHost` adapts a
 * `child_process.fork` child to it. Core never imports Electron, so the main process passes its own.
 */
export interface ModelHostProcess {
  postMessage(message: unknown): void;
  /** `message` carries one message from the host; `exit` fires once when the process ends for any reason. */
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number | null) => void): unknown;
  /** Ends the process at once (SIGTERM under Node; the OS equivalent under Electron). */
  kill(): unknown;
  readonly pid?: number | undefined;
}

/** Starts one model process running the host entry (`model-host-entry.ts` or its bundled build). */
export type ModelHostSpawn = () => ModelHostProcess;
