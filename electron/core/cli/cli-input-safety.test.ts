import { existsSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openMemoryStore } from '../memory';
import { useTempDir } from '../memory/test-support/temp-dir';
import { idSchema } from '../server/schemas';
import { formatAppError } from '../errors';
import { runPonder } from './testing/run-ponder';
import { terminalSafe } from './terminal-text';

const tempDir = useTempDir('ponder-cli-');
const STORIES = join(import.meta.dirname, '../../../../shared/fixtures/stories260K.gguf');

const ponder = (args: string[], dataDir = tempDir()) => runPonder(args, { dataDir });

/** Every byte a terminal would act on rather than print. */
// eslint-disable-next-line no-control-regex
const TERMINAL_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('usage errors', () => {
  it.each([
    [
      ['ask', '--mode', 'foo', 'hi'],
      /^ponder ask: --mode must be one of chat, reasoning, search(, \w+)*, not "foo"\.$/,
    ],
    [
      ['ask', '--bogus', 'hi'],
      'ponder ask: Unknown option "--bogus". Run `ponder ask --help` for the options.',
    ],
    [
      ['ask', '--max-tokens'],
      'ponder ask: Option "--max-tokens" needs a value. Run `ponder ask --help` for the options.',
    ],
    [['ask', '--threads', 'two', 'hi'], 'ponder ask: --threads must be a whole number, not "two".'],
    [
      ['serve', '--port', 'eighty'],
      'ponder serve: --port must be a number from 0 to 65535, not "eighty".',
    ],
    [
      ['serve', '--bogus'],
      'ponder serve: Unknown option "--bogus". Run `ponder serve --help` for the options.',
    ],
    [
      ['history', 'list', '--bogus'],
      'ponder history: Unknown option "--bogus". Run `ponder history --help` for the options.',
    ],
    [['nonsense'], 'Unknown command "nonsense".'],
    [
      ['search', '--top-k', '50', 'vacuum'],
      'ponder search: Invalid option --top-k: must be at most 20. Run `ponder search --help` for the options.',
    ],
    [
      ['search', '--top-k', '-3', 'vacuum'],
      'ponder search: Option "--top-k" needs a value; write one that starts with "-" as --top-k=VALUE. Run `ponder search --help` for the options.',
    ],
    [
      ['search', '--search-provider', 'searxng', '--searxng-url', 'not-a-url', 'vacuum'],
      'ponder search: Invalid option --searxng-url: give an http:// or https:// address, such as http://127.0.0.1:8888. Run `ponder search --help` for the options.',
    ],
    [
      ['ask', '--context-size', '1', 'hi'],
      'ponder ask: Invalid option --context-size: must be at least 256. Run `ponder ask --help` for the options.',
    ],
  ])('%j exits 2 with one clean line', async (args, line) => {
    const run = await ponder(args);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toMatch(
      typeof line === 'string'
        ? new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)
        : line,
    );
  });

  it('shows an option full of terminal escapes as text', async () => {
    const run = await ponder(['ask', '--\u001b]0;pwned\u0007\u001b[2J', 'hi']);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(TERMINAL_CONTROLS);
    expect(run.stderr).toContain('Unknown option "--\\x1b]0;pwned\\x07\\x1b[2J".');
  });
});

describe('error text', () => {
  it('ends the message before its hint', () => {
    expect(
      formatAppError({
        code: 'model-invalid',
        message: 'the base is qwen2',
        hint: 'Use the adapter.',
      }),
    ).toBe('the base is qwen2. Use the adapter.');
    expect(
      formatAppError({ code: 'internal', message: 'Done already.', hint: 'Nothing to do.' }),
    ).toBe('Done already. Nothing to do.');
  });

  it('prints a truncated model as two sentences', async () => {
    const dir = tempDir();
    const truncated = join(dir, 'truncated.gguf');
    writeFileSync(truncated, readFileSync(STORIES).subarray(0, 600_000));
    const run = await ponder(['models', 'inspect', truncated], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /the file ends at byte 600000 \(38\.9 KiB missing\)\. The file is incomplete/,
    );
  });
});

describe('--token', () => {
  it('is refused under 16 characters, saying why, before anything starts', async () => {
    const dir = tempDir();
    const run = await ponder(['serve', '--token', 'short', '--port', '0'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'ponder serve: --token must be at least 16 characters so it cannot be guessed; this one has 5. Leave --token out and Ponder makes a random one.\n',
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('says so in --help', async () => {
    const run = await ponder(['serve', '--help']);
    expect(run.stdout).toMatch(/--token T +bearer token for the API, at least 16 characters/);
  });
});

describe('ask without a model', () => {
  it('refuses and creates no database', async () => {
    const dir = join(tempDir(), 'data');
    const run = await ponder(['ask', 'Why is the sky blue?'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^ponder ask: No model is configured\. Download one/);
    expect(existsSync(join(dir, 'ponder.db'))).toBe(false);
  });
});

describe('a damaged conversation database', () => {
  const garbage = 'not a Ponder database '.repeat(500);

  it.each([
    ['ask', ['ask', '--model', STORIES, 'hi']],
    ['serve', ['serve', '--model', STORIES, '--port', '0']],
    ['history list', ['history', 'list']],
  ])('%s refuses it in one line and leaves it byte for byte', async (_name, args) => {
    const dir = tempDir();
    const db = join(dir, 'chats.db');
    writeFileSync(db, garbage);
    const run = await ponder([...args, '--db', db], dir);
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /chats\.db is damaged or is not a Ponder conversation database .*left untouched\. Run again with --recover/,
    );
    expect(readFileSync(db, 'utf8')).toBe(garbage);
    expect(readdirSync(dir)).toEqual(['chats.db']);
  });

  it("refuses another program's SQLite database, even with --recover, and leaves it as it was", async () => {
    const dir = tempDir();
    const db = join(dir, 'other.db');
    const Database = (await import('better-sqlite3')).default;
    const other = new Database(db);
    other.exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('keep me')");
    other.close();
    const before = readFileSync(db);
    for (const extra of [[], ['--recover']]) {
      const run = await ponder(['history', 'list', '--db', db, ...extra], dir);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /^ponder history: .*other\.db is a SQLite database, but not one of Ponder's\. /,
      );
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(readFileSync(db).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(['other.db']);
  });

  it('is kept aside on --recover with what could be read, said in numbers', async () => {
    const dir = tempDir();
    const db = join(dir, 'chats.db');
    const store = openMemoryStore({ path: db });
    const kept = store.createConversation({ title: 'kept' });
    store.addMessage({ conversationId: kept.id, role: 'user', text: 'still here' });
    store.close();
    // A damaged index page: quick_check fails, every row is still readable.
    const Database = (await import('better-sqlite3')).default;
    const probe = new Database(db, { readonly: true });
    const page = probe
      .prepare(`SELECT pageno FROM dbstat WHERE name = 'messages_by_conversation'`)
      .pluck()
      .get() as number;
    probe.close();
    const bytes = readFileSync(db);
    bytes.fill(0xa5, (page - 1) * 4096 + 8, page * 4096);
    writeFileSync(db, bytes);

    expect((await ponder(['history', 'list', '--db', db], dir)).code).toBe(1);
    const run = await ponder(['history', 'list', '--db', db, '--recover'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /kept at .*chats\.db\.damaged-\S+, and a new one was started with the 1 conversation and 1 message that could still be read/,
    );
    expect(run.stdout).toMatch(new RegExp(`^${kept.id} .* 1 msgs  kept\\n$`));
    const aside = readdirSync(dir).find((name) => name.startsWith('chats.db.damaged-'));
    expect(readFileSync(join(dir, aside ?? '')).equals(bytes)).toBe(true);
  });
});

describe('stored text shown in a terminal', () => {
  const title = 'Evil \u001b]0;pwned\u0007 title \u001b[2J\u009b31m';

  it('escapes control characters in history list, search and markdown export', async () => {
    const dir = tempDir();
    const db = join(dir, 'ponder.db');
    const store = openMemoryStore({ path: db });
    const conversation = store.createConversation({ title });
    store.addMessage({
      conversationId: conversation.id,
      role: 'user',
      text: `purr \u001b[2J\u0007`,
    });
    store.close();
    // An id an older Ponder let an import through, stored as it was.
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(db);
    raw
      .prepare('INSERT INTO conversations (id, title, created, updated) VALUES (?, ?, 0, 0)')
      .run('old\u001b[2Jid', 'old import');
    raw.close();

    for (const args of [
      ['history', 'list'],
      ['history', 'search', 'purr'],
      ['history', 'export', conversation.id, '--format', 'md'],
    ]) {
      const run = await ponder([...args, '--db', db], dir);
      expect(run.code, args.join(' ')).toBe(0);
      expect(run.stdout, args.join(' ')).not.toMatch(TERMINAL_CONTROLS);
      expect(run.stdout, args.join(' ')).toContain('\\x1b');
    }
    expect((await ponder(['history', 'list', '--db', db], dir)).stdout).toContain(
      'Evil \\x1b]0;pwned\\x07 title \\x1b[2J\\x9b31m',
    );
  });

  it('escapes them in what a model file says about itself (models inspect)', async () => {
    const dir = tempDir();
    const parts: Buffer[] = [];
    const u32 = (n: number) => parts.push(Buffer.from(new Uint32Array([n]).buffer));
    const u64 = (n: number) => parts.push(Buffer.from(new BigUint64Array([BigInt(n)]).buffer));
    const text = (value: string) => {
      const bytes = Buffer.from(value, 'utf8');
      u64(bytes.length);
      parts.push(bytes);
    };
    // A GGUF header with no tensors: the architecture, and a name that tries to drive the terminal.
    parts.push(Buffer.from('GGUF'));
    u32(3);
    u64(0);
    u64(2);
    text('general.architecture');
    u32(8);
    text('llama');
    text('general.name');
    u32(8);
    text('Evil \u001b]0;pwned\u0007 model \u001b[2J');
    const file = join(dir, 'evil.gguf');
    writeFileSync(file, Buffer.concat(parts));

    const run = await ponder(['models', 'inspect', file], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(TERMINAL_CONTROLS);
    expect(run.stdout).toMatch(/Name: +Evil \\x1b\]0;pwned\\x07 model \\x1b\[2J\n/);
    const json = await ponder(['models', 'inspect', file, '--json'], dir);
    expect(JSON.parse(json.stdout)).toMatchObject({
      name: 'Evil \u001b]0;pwned\u0007 model \u001b[2J',
    });
  });

  it('keeps newlines and tabs in multi-line text, and nothing else', () => {
    expect(terminalSafe('a\n\tb\u001b[1mc\u202ed')).toBe('a\n\tb\\x1b[1mc\\u202ed');
    expect(terminalSafe('a\nb', { oneLine: true })).toBe('a\\x0ab');
  });
});

describe('history import', () => {
  const exported = (id: string, messageId: string) => ({
    id,
    title: `title of ${id.slice(0, 20)}`,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    pinned: false,
    messages: [
      {
        id: messageId,
        role: 'user',
        mode: 'chat',
        adapter: null,
        model: null,
        text: 'hello',
        reasoning: '',
        solution: '',
        sources: null,
        stats: {
          promptTokens: null,
          completionTokens: null,
          timeToFirstTokenMs: null,
          tokensPerSecond: null,
          totalMs: null,
        },
        status: 'complete',
        error: null,
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
      },
    ],
  });

  it('gives ids the API would refuse new ones, says so, and each can then be opened and deleted', async () => {
    const dir = tempDir();
    const db = join(dir, 'ponder.db');
    const bad = ['../../etc/passwd', 'has space', '\u001b[2J', 'nul\u0000byte', 'x'.repeat(200)];
    const file = join(dir, 'export.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'ponder-conversations',
        version: 1,
        conversations: [
          exported('good-id_1', 'good-message'),
          ...bad.map((id, n) => exported(id, `${id.slice(0, 20)}/message ${n}`)),
        ],
      }),
    );
    const run = await ponder(['history', 'import', file, '--db', db], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Imported 6 conversation\(s\), 6 message\(s\)\./);
    expect(
      run.stdout.match(
        /the new id [0-9a-f-]{36}: its id in the file .* is not one Ponder can open/g,
      ),
    ).toHaveLength(5);
    expect(run.stdout).not.toMatch(TERMINAL_CONTROLS);

    const list = JSON.parse(
      (await ponder(['history', 'list', '--json', '--db', db], dir)).stdout,
    ) as { id: string }[];
    expect(list.map((c) => c.id)).toContain('good-id_1');
    for (const { id } of list) {
      expect(idSchema.safeParse(id).success, id).toBe(true);
      expect(
        (await ponder(['history', 'export', id, '--format', 'json', '--db', db], dir)).code,
      ).toBe(0);
      expect((await ponder(['history', 'delete', id, '--db', db], dir)).code).toBe(0);
    }
  });

  it('refuses, before reading it, an export too large to read at once', async () => {
    const dir = tempDir();
    const file = join(dir, 'huge.json');
    writeFileSync(file, '');
    truncateSync(file, 600 * 1024 * 1024); // sparse: no disk is used
    const run = await ponder(['history', 'import', file, '--db', join(dir, 'ponder.db')], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^ponder history: .*huge\.json is 600 MB, more than the \d+ MB Ponder can import at once \(an export is read into memory whole\)\. Nothing was imported\. /,
    );
    expect(run.stderr).not.toMatch(/not JSON/);
  });
});
