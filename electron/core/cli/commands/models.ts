import type { CliCommand } from '../cli-command';

export const modelsCommand: CliCommand = {
  name: 'models',
  summary: '',
  usage: 'ponder models',
  async run(_argv, io) {
    io.stderr.write('ponder models: not available in this build yet.\n');
    return 1;
  },
};
