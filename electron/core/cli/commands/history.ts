import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PonderError } from '../../errors';
import { defaultDatabasePath, openMemoryStore, type MemoryStore } from '../../memory';
import type { CliCommand, CliIO } from '../cli-command';
import { terminalSafe } from '../terminal-text';
import { EXIT_USAGE, UsageError, usageErrorFromParseArgs } from '../usage-error';
import { readExportFile } from './read-export-file';

const USAGE = [
  'Usage:',
  '  ponder history list [--json]                          conversations, pinned first, newest first',
  '  ponder history search QUERY [--json]                  full-text search of questions, answers, reasoning',
  '  ponder history export [ID] --format md|json [--out FILE]   one conversation, or all',
  '  ponder history export [ID] --format sft-jsonl|grpo-jsonl [--rated up] [--out FILE]',
  '                                                        answers as training data (TRL/Unsloth fields)',
  '  ponder history import FILE                            conversations from a JSON export',
  '  ponder history delete ID | --all                      delete one conversation, or every one',
  '  ponder history rename ID TITLE | pin ID | unpin ID',
  '',
  'Options:',
  '  --db FILE        conversation database (default: PONDER_DB, else ponder.db in the data folder)',
  '  --recover        if that database is damaged, keep it aside and start a new one with every',
  '                   conversation SQLite can still read (else Ponder refuses it and changes nothing)',
  '  --data-dir DIR   data folder (else PONDER_DATA_DIR)',
  '  --limit N        at most N results for list and search',
].join('\n');

const OPTIONS = {
  db: { type: 'string' },
  recover: { type: 'boolean' },
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  format: { type: 'string' },
  rated: { type: 'string' },
  out: { type: 'string' },
  all: { type: 'boolean' },
  limit: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageErrorFromParseArgs(error, 'history');
  }
}

function usageError(message: string): UsageError {
  return new UsageError(message, 'Run `ponder history --help`.');
}

/** Stored text (titles, questions, answers) as a terminal shows it, never as commands to it. */
const safe = (text: string): string => terminalSafe(text, { oneLine: true });

function limitOf(values: Values): number | undefined {
  if (values.limit === undefined) return undefined;
  if (!/^\d+$/.test(values.limit))
    throw usageError(`--limit must be a whole number, not "${values.limit}".`);
  return Number(values.limit);
}

function databasePath(values: Values, env: NodeJS.ProcessEnv): string {
  if (values.db) return resolve(values.db);
  return resolve(defaultDatabasePath(env, values['data-dir'] ?? undefined));
}

const when = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/** Writes next to the target first, so a failure never leaves half a file where the export should be. */
function writeOut(file: string, text: string): void {
  const partial = `${file}.partial`;
  writeFileSync(partial, text);
  renameSync(partial, file);
}

type Run = (store: MemoryStore, args: string[], values: Values, io: CliIO) => Promise<number>;

/** `--format sft-jsonl|grpo-jsonl [--rated up]`: answers as training data (see export-training.ts). */
async function exportTraining(
  store: MemoryStore,
  format: 'sft-jsonl' | 'grpo-jsonl',
  args: string[],
  values: Values,
  io: CliIO,
): Promise<number> {
  if (values.rated !== undefined && values.rated !== 'up') {
    throw usageError(`--rated takes "up" (answers rated thumbs up), not "${values.rated}".`);
  }
  const { exportTrainingJsonl } = await import('../../memory/export-training');
  for (const id of args) {
    if (!store.getConversation(id)) {
      throw new PonderError('not-found', `No conversation with id ${safe(id)}.`, {
        hint: 'List conversations with `ponder history list`.',
      });
    }
  }
  const { text, count } = exportTrainingJsonl(store, {
    format,
    ...(values.rated === 'up' ? { rated: 'up' as const } : {}),
    ...(args.length ? { conversationIds: args } : {}),
  });
  if (values.out) writeOut(resolve(values.out), text);
  else io.stdout.write(text);
  const none =
    count === 0
      ? values.rated === 'up'
        ? ' No answer is rated thumbs up yet: rate answers in the app first.'
        : ' There is no complete chat or reasoning answer to export.'
      : '';
  io.stderr.write(
    `Exported ${count} training example${count === 1 ? '' : 's'}${values.out ? ` to ${resolve(values.out)}` : ''}.${none}\n`,
  );
  return 0;
}

const SUBCOMMANDS: Record<string, { run: Run; readOnly: boolean }> = {
  list: {
    readOnly: true,
    async run(store, _args, values, io) {
      const conversations = store.listConversations({ limit: limitOf(values) ?? -1 });
      if (values.json) {
        io.stdout.write(`${JSON.stringify(conversations, null, 2)}\n`);
      } else if (conversations.length === 0) {
        io.stdout.write('No conversations yet.\n');
      } else {
        for (const c of conversations) {
          const title = safe(c.title || '(untitled)');
          io.stdout.write(
            `${safe(c.id)}  ${when(c.updatedAt)}  ${String(c.messageCount).padStart(3)} msgs  ${c.pinned ? '* ' : ''}${title}\n`,
          );
        }
      }
      return 0;
    },
  },
  search: {
    readOnly: true,
    async run(store, args, values, io) {
      const query = args.join(' ');
      if (!query.trim()) throw usageError('Give words to search for: ponder history search QUERY');
      const hits = store.search(query, { limit: limitOf(values) ?? 20 });
      if (values.json) {
        io.stdout.write(`${JSON.stringify(hits, null, 2)}\n`);
      } else if (hits.length === 0) {
        io.stdout.write(`Nothing found for "${safe(query)}".\n`);
      } else {
        for (const hit of hits) {
          io.stdout.write(
            `${safe(hit.conversationId)}  ${safe(hit.conversationTitle || '(untitled)')}\n`,
          );
          io.stdout.write(
            `  ${hit.role === 'user' ? 'you' : 'ponder'}: ${safe(hit.snippet.replace(/\s+/g, ' '))}\n`,
          );
        }
      }
      return 0;
    },
  },
  export: {
    readOnly: true,
    async run(store, args, values, io) {
      const format =
        values.format ?? (values.out?.endsWith('.md') ? 'md' : values.out ? 'json' : undefined);
      if (args.length > 1) throw usageError('Export one conversation id, or none for all of them.');
      if (format === 'sft-jsonl' || format === 'grpo-jsonl') {
        return exportTraining(store, format, args, values, io);
      }
      if (values.rated !== undefined)
        throw usageError('--rated goes with --format sft-jsonl or grpo-jsonl.');
      if (format !== 'md' && format !== 'json')
        throw usageError('Choose --format md, json, sft-jsonl or grpo-jsonl.');
      const ids = args.length === 1 ? args : undefined;
      const text =
        format === 'md'
          ? store.exportMarkdown(ids)
          : `${JSON.stringify(store.exportJson(ids), null, 2)}\n`;
      if (values.out) {
        writeOut(resolve(values.out), text);
        const count = ids ? 1 : store.listConversations().length;
        io.stderr.write(
          `Exported ${count} conversation${count === 1 ? '' : 's'} to ${resolve(values.out)}\n`,
        );
      } else {
        // Markdown is for reading; JSON is for programs and escapes its own control characters.
        io.stdout.write(format === 'md' ? terminalSafe(text) : text);
      }
      return 0;
    },
  },
  import: {
    readOnly: false,
    async run(store, args, _values, io) {
      const [file] = args;
      if (!file || args.length > 1) throw usageError('Give one file: ponder history import FILE');
      const data = readExportFile(resolve(file));
      const result = await store.importJson(data);
      const messages = result.imported.reduce((sum, c) => sum + c.messages, 0);
      io.stdout.write(
        `Imported ${result.imported.length} conversation(s), ${messages} message(s).\n`,
      );
      for (const renamed of result.renamed ?? []) {
        io.stdout.write(
          `Gave "${safe(renamed.title)}" the new id ${renamed.to}: its id in the file (${safe(JSON.stringify(renamed.from))}) is not one Ponder can open.\n`,
        );
      }
      for (const skip of result.skipped) {
        io.stdout.write(`Skipped "${safe(skip.title)}" (${safe(skip.id)}): ${skip.reason}.\n`);
      }
      return 0;
    },
  },
  delete: {
    readOnly: false,
    async run(store, args, values, io) {
      if (values.all && args.length === 0) {
        const count = store.deleteAllConversations();
        io.stdout.write(`Deleted ${count} conversation(s).\n`);
        return 0;
      }
      if (values.all || args.length !== 1)
        throw usageError('Give one id, or --all: ponder history delete ID|--all');
      const id = args[0] as string;
      const title = store.getConversation(id)?.title;
      store.deleteConversation(id);
      io.stdout.write(`Deleted "${safe(title || '(untitled)')}" (${safe(id)}).\n`);
      return 0;
    },
  },
  rename: {
    readOnly: false,
    async run(store, args, _values, io) {
      const [id, ...words] = args;
      if (!id || words.length === 0) throw usageError('Usage: ponder history rename ID TITLE');
      const renamed = store.renameConversation(id, words.join(' '));
      io.stdout.write(`Renamed ${safe(id)} to "${safe(renamed.title)}".\n`);
      return 0;
    },
  },
  pin: { readOnly: false, run: (store, args, _values, io) => pin(store, args, io, true) },
  unpin: { readOnly: false, run: (store, args, _values, io) => pin(store, args, io, false) },
};

async function pin(
  store: MemoryStore,
  args: string[],
  io: CliIO,
  pinned: boolean,
): Promise<number> {
  if (args.length !== 1) throw usageError(`Usage: ponder history ${pinned ? 'pin' : 'unpin'} ID`);
  const conversation = store.setPinned(args[0] as string, pinned);
  io.stdout.write(
    `${pinned ? 'Pinned' : 'Unpinned'} "${safe(conversation.title || '(untitled)')}".\n`,
  );
  return 0;
}

export const historyCommand: CliCommand = {
  name: 'history',
  summary: 'list, search, export and import conversations',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parse(argv);
    const [name, ...args] = positionals;
    if (!name || values.help) {
      io.stdout.write(`${USAGE}\n`);
      return name || values.help ? 0 : 2;
    }
    const subcommand = SUBCOMMANDS[name];
    if (!subcommand) {
      io.stderr.write(`Unknown history command "${safe(name)}".\n${USAGE}\n`);
      return EXIT_USAGE;
    }
    const path = databasePath(values, io.env);
    // Looking never creates a database; only import (and the app) make one.
    if (subcommand.readOnly && !existsSync(path) && name !== 'export') {
      io.stdout.write(values.json ? '[]\n' : `No conversations yet (no database at ${path}).\n`);
      return 0;
    }
    if (name !== 'import' && !existsSync(path)) {
      throw new PonderError('not-found', `No conversation database at ${path}.`, {
        hint: 'Pass the right file with --db, or ask a question first.',
      });
    }
    const store = openMemoryStore({ path, onCorrupt: values.recover ? 'recover' : 'fail' });
    try {
      if (store.recovery)
        io.stderr.write(`ponder history: ${safe(store.recovery.notice.message)}\n`);
      return await subcommand.run(store, args, values, io);
    } finally {
      store.close();
    }
  },
};
