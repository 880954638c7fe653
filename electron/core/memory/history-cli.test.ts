import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/main';
import { openMemoryStore } from './index';
import { useTempDir } from './test-support/temp-dir';

const tempDir = useTempDir();

async function ponder(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (data: Buffer) => (out += data.toString()));
  stderr.on('data', (data: Buffer) => (err += data.toString()));
  const code = await runCli(argv, { stdout, stderr, env, signal: new AbortController().signal });
  return { code, out, err };
}

function seed(path: string): string {
  const store = openMemoryStore({ path });
  const conversation = store.createConversation();
  store.addMessage({ conversationId: conversation.id, role: 'user', text: 'Why do cats purr?' });
  store.addMessage({
    conversationId: conversation.id,
    role: 'assistant',
    text: 'Cats purr when content, and also to soothe themselves.',
  });
  store.close();
  return conversation.id;
}

describe('ponder history', () => {
  it('lists, searches, exports, imports and deletes through --db', async () => {
    const dir = tempDir();
    const db = join(dir, 'ponder.db');
    const id = seed(db);

    const list = await ponder(['history', 'list', '--db', db]);
    expect(list).toMatchObject({ code: 0, err: '' });
    expect(list.out).toMatch(new RegExp(`^${id}  .*  2 msgs  Why do cats purr\\?\\n$`));

    const search = await ponder(['history', 'search', 'purr', '--db', db]);
    expect(search.out).toContain('ponder: Cats **purr** when content');
    expect((await ponder(['history', 'search', '"purr OR -', '--db', db])).code).toBe(0);

    const out = join(dir, 'export.json');
    expect(
      (await ponder(['history', 'export', '--format', 'json', '--out', out, '--db', db])).err,
    ).toBe(`Exported 1 conversation to ${out}\n`);
    const markdown = await ponder(['history', 'export', id, '--format', 'md', '--db', db]);
    expect(markdown.out).toContain('# Why do cats purr?');

    expect((await ponder(['history', 'delete', id, '--db', db])).out).toBe(
      `Deleted "Why do cats purr?" (${id}).\n`,
    );
    expect((await ponder(['history', 'list', '--db', db])).out).toBe('No conversations yet.\n');

    const imported = await ponder(['history', 'import', out, '--db', db]);
    expect(imported.out).toBe('Imported 1 conversation(s), 2 message(s).\n');
    const again = await ponder(['history', 'import', out, '--db', db]);
    expect(again.out).toContain('already in the database');
    const exportedAgain = JSON.parse(
      (await ponder(['history', 'export', '--format', 'json', '--db', db])).out,
    );
    expect(exportedAgain.conversations).toEqual(
      JSON.parse(readFileSync(out, 'utf8')).conversations,
    );

    expect((await ponder(['history', 'delete', '--all', '--db', db])).out).toBe(
      'Deleted 1 conversation(s).\n',
    );
  });

  it('finds the database in the data folder and never creates one just to look', async () => {
    const dir = tempDir();
    const list = await ponder(['history', 'list'], { PONDER_DATA_DIR: dir });
    expect(list.out).toBe(`No conversations yet (no database at ${join(dir, 'ponder.db')}).\n`);
    expect(existsSync(join(dir, 'ponder.db'))).toBe(false);
    seed(join(dir, 'ponder.db'));
    expect((await ponder(['history', 'list'], { PONDER_DATA_DIR: dir })).out).toContain('cats');
  });

  it('explains bad input in one line with a non-zero exit', async () => {
    const dir = tempDir();
    const db = join(dir, 'ponder.db');
    seed(db);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"not": "an export"}');
    for (const [code, argv] of [
      [1, ['history', 'import', bad, '--db', db]],
      [1, ['history', 'import', join(dir, 'missing.json'), '--db', db]],
      [2, ['history', 'export', '--db', db]],
      [1, ['history', 'export', 'no-such-id', '--format', 'md', '--db', db]],
      [1, ['history', 'delete', 'no-such-id', '--db', db]],
      [2, ['history', 'list', '--no-such-flag']],
    ] as const) {
      const result = await ponder([...argv]);
      expect(result.code, argv.join(' ')).toBe(code);
      expect(result.err.trim().split('\n'), argv.join(' ')).toHaveLength(1);
      expect(result.err).toMatch(/^ponder history: /);
    }
  });

  it('refuses a damaged database untouched, and keeps it aside only on --recover', async () => {
    const dir = tempDir();
    const db = join(dir, 'ponder.db');
    writeFileSync(db, 'not a database '.repeat(100));
    const refused = await ponder(['history', 'list', '--db', db]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^ponder history: .*ponder\.db is damaged .*--recover/);
    expect(readFileSync(db, 'utf8')).toBe('not a database '.repeat(100));

    const result = await ponder(['history', 'list', '--db', db, '--recover']);
    expect(result.code).toBe(0);
    expect(result.err).toMatch(/damaged: it was kept at .*ponder\.db\.damaged-.*0 conversations/);
  });
});
