import type { CliCommand } from '../cli-command';

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: '',
  usage: 'ponder serve',
  async run(_argv, io) {
    io.stderr.write('ponder serve: not available in this build yet.\n');
    return 1;
  },
};
