import type { HostPort } from './run-model-host';

/** The slice of Electron's `process.parentPort` the host uses (typed here: core never imports Electron). */
interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

/**
 * The channel to whoever started this process: `process.parentPort` inside an Electron utility
 * process, the IPC channel of `child_process.fork` under Node. Either way the process exits when
 * its parent goes away, so no model is left running on its own.
 */
export function connectParent(): HostPort {
  const parentPort = (process as { parentPort?: ElectronParentPort }).parentPort;
  if (parentPort) {
    return {
      post: (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
      exit: (code) => process.exit(code),
    };
  }
  const send = process.send?.bind(process);
  if (!send) {
    throw new Error('The model host must be started by Ponder (no IPC channel to a parent).');
  }
  process.on('disconnect', () => process.exit(0));
  let lastSend: Promise<void> = Promise.resolve();
  return {
    post: (message) => {
      if (!process.connected) return;
      lastSend = new Promise((resolve) => send(message, undefined, undefined, () => resolve()));
    },
    onMessage: (listener) => process.on('message', listener),
    // The final message (`disposed`) must reach the parent before the process ends.
    exit: (code) => void lastSend.then(() => process.exit(code)),
  };
}
