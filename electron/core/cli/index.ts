import { runCli } from './main';

const controller = new AbortController();
// `on`, not `once`: a dependency's signal-exit handler re-raises a signal nobody else listens to,
// which would end the process before the answer is saved as cancelled. A second Ctrl+C still quits.
let interrupts = 0;
const interrupt = (): void => {
  interrupts += 1;
  if (interrupts > 1) process.exit(130);
  controller.abort();
};
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);

// A reader that stops early (`ponder ask --json … | head -1`) closes the pipe: the answer is
// cancelled and saved as such, and the command ends quietly with status 0 instead of an EPIPE trace.
let outputClosed = false;
process.stdout.on('error', () => {
  outputClosed = true;
  controller.abort();
});
process.stderr.on('error', () => undefined);

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
});
process.exitCode = outputClosed ? 0 : code;
