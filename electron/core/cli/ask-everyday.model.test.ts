import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ensureFixtures, fixturePaths } from '../../../models/fixtures';
import { useTempDir } from '../memory/test-support/temp-dir';
import { startSearxngServer } from '../rag/testing/searxng-server';
import { ensureFreshBuild, PONDER_BIN, ponderEnv, runPonder } from './testing/run-ponder';

const tempDir = useTempDir('ponder-ask-everyday-');
const STORIES = join(import.meta.dirname, '../../../../shared/fixtures/stories260K.gguf');
const ASK = ['ask', '--model', STORIES, '--temperature', '0', '--seed', '1'];

describe('ponder ask, as used every day', () => {
  it(
    'prints the conversation id, and --conversation continues it',
    { timeout: 120_000 },
    async () => {
      const dataDir = tempDir();
      const first = await runPonder([...ASK, '--max-tokens', '8', 'Once upon a time'], { dataDir });
      expect(first.code).toBe(0);
      const id = /Conversation (\S+) · continue it with --conversation \1\n/.exec(
        first.stderr,
      )?.[1];
      expect(id).toMatch(/^[0-9a-f-]{36}$/);

      const second = await runPonder(
        [...ASK, '--max-tokens', '8', '--conversation', id ?? '', 'And then?'],
        { dataDir },
      );
      expect(second.code).toBe(0);
      expect(second.stderr).toContain(`Conversation ${id} ·`);
      const list = await runPonder(['history', 'list'], { dataDir });
      expect(list.stdout).toMatch(new RegExp(`^${id} .* 4 msgs `));
    },
  );

  it(
    'ends quietly when the reader closes the pipe (… | head -1)',
    { timeout: 120_000 },
    async () => {
      await ensureFreshBuild();
      const dataDir = tempDir();
      const child = spawn(
        process.execPath,
        [PONDER_BIN, ...ASK, '--json', '--max-tokens', '400', 'Once upon a time'],
        { env: ponderEnv(dataDir), stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      // Like `… | head -1` once the answer streams: close the pipe after its first words.
      const seen = await new Promise<string>((resolve) => {
        let out = '';
        const onData = (chunk: Buffer): void => {
          out += chunk.toString();
          if (out.includes('"type":"text"')) {
            child.stdout.off('data', onData);
            child.stdout.destroy();
            resolve(out);
          }
        };
        child.stdout.on('data', onData);
      });
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(seen).not.toContain('"type":"done"');
      expect([0, 141]).toContain(code);
      expect(stderr).not.toMatch(/EPIPE|Error|at .*\.js:\d+/);
    },
  );

  it(
    'runs the CLI and its model process as compiled JavaScript, never TypeScript',
    { timeout: 120_000 },
    async () => {
      const dataDir = tempDir();
      // Loaded into `ponder` and, through NODE_OPTIONS, into the model process it starts: any .ts
      // module or the tsx loader fails the run.
      const guard = join(dataDir, 'no-typescript.mjs');
      writeFileSync(
        guard,
        `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`
export async function resolve(specifier, context, next) {
  if (/\\\\.ts$/.test(specifier) || /^tsx(\\\\/|$)/.test(specifier)) throw new Error('TypeScript loaded: ' + specifier);
  return next(specifier, context);
}\`));
`,
      );
      const run = await runPonder([...ASK, '--max-tokens', '8', '--json', 'Once upon a time'], {
        dataDir,
        env: { NODE_OPTIONS: `--import ${pathToFileURL(guard).href}` },
      });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('"type":"done"');

      // The same guard stops the TypeScript path, so the check above can fail.
      const fromSource = await runPonder(['--help'], {
        dataDir,
        env: { NODE_OPTIONS: `--import ${pathToFileURL(guard).href}`, PONDER_FROM_SOURCE: '1' },
      });
      expect(fromSource.code).not.toBe(0);
      expect(fromSource.stderr).toContain('TypeScript loaded');
    },
  );

  it(
    'shows control characters from the web and the question as text',
    { timeout: 180_000 },
    async () => {
      await ensureFixtures();
      const dataDir = tempDir();
      const evil = 'Tides \u001b]0;pwned\u0007 and the \u001b[2J moon';
      const searxng = await startSearxngServer([
        {
          title: evil,
          snippet: 'Tides are caused mainly by the pull of the moon on the oceans.',
          html: `<!doctype html><html><head><title>tides</title></head><body><article><h1>Tides</h1><p>The moon pulls the oceans toward it, raising the tides.</p></article></body></html>`,
        },
      ]);
      try {
        const run = await runPonder(
          [
            ...['ask', '--mode', 'search', '--search-provider', 'searxng'],
            ...['--searxng-url', searxng.origin, '--allow-private-host', searxng.host],
            ...['--embedding-model', join(dataDir, 'none'), '--model', fixturePaths.base],
            ...['--grpo', fixturePaths.grpo],
            'how do \u001b[2J tides work',
          ],
          { dataDir, timeoutMs: 170_000 },
        );
        expect(run.code).toBe(0);
        // eslint-disable-next-line no-control-regex -- what must not reach the terminal
        const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
        expect(run.stdout).not.toMatch(controls);
        expect(run.stderr).not.toMatch(controls);
        expect(run.stdout).toContain('Tides \\x1b]0;pwned\\x07 and the \\x1b[2J moon');
        expect(run.stderr).toContain('for "how do \\x1b[2J tides work"');
      } finally {
        await searxng.close();
      }
    },
  );
});
