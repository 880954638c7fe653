import type { CliCommand } from '../cli-command';

export const historyCommand: CliCommand = {
  name: 'history',
  summary: '',
  usage: 'ponder history',
  async run(_argv, io) {
    io.stderr.write('ponder history: not available in this build yet.\n');
    return 1;
  },
};
