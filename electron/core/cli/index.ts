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

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
});
process.exitCode = code;
