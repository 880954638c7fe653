import type { CliCommand } from '../cli-command';

export const askCommand: CliCommand = {
  name: 'ask',
  summary: '',
  usage: 'ponder ask',
  async run(_argv, io) {
    io.stderr.write('ponder ask: not available in this build yet.\n');
    return 1;
  },
};
