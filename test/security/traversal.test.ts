import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traversalPaths } from '../../electron/core/security/corpus/traversal-paths';
import { rawRequest } from '../../electron/core/server/testing/http-client';
import { startTestServer } from '../../electron/core/server/testing/start-test-server';
import type { TestServer } from '../../electron/core/server/testing/start-test-server';
import { resolveBundlePath } from '../../electron/main/security/protocol-path';

/**
 * One corpus of traversal spellings against both ways Ponder serves its UI: the desktop app's
 * `app://` protocol (SECURITY 11) and `ponder serve`'s static files. A secret sits beside the
 * served folder, and a symlink inside points at it.
 */
const SECRET = 'conversation-history-outside-the-bundle';
const paths = traversalPaths('secret.txt');
let work: string;
let bundle: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ponder-traversal-'));
  bundle = join(work, 'renderer');
  mkdirSync(join(bundle, 'assets'), { recursive: true });
  writeFileSync(join(bundle, 'index.html'), '<!doctype html><title>Ponder</title>');
  writeFileSync(join(bundle, 'assets', 'app.js'), 'export {}');
  writeFileSync(join(work, 'secret.txt'), SECRET);
  symlinkSync(join(work, 'secret.txt'), join(bundle, 'assets', 'secret.js'));
  symlinkSync(work, join(bundle, 'assets', 'up'));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('app:// protocol path resolver', () => {
  it(`never resolves any of ${paths.length} traversal spellings to a file outside the bundle`, () => {
    const root = realpathSync(bundle);
    const escaped: string[] = [];
    for (const path of [...paths, '/assets/secret.js', '/assets/up/secret.txt']) {
      const lookup = resolveBundlePath(`app://ponder${path}`, bundle);
      if (lookup.status === 200 && !lookup.file.startsWith(root + sep))
        escaped.push(`${path} → ${lookup.file}`);
      expect([200, 403, 404], path).toContain(lookup.status);
    }
    expect(escaped).toEqual([]);
  });

  it('still serves the bundle itself', () => {
    expect(resolveBundlePath('app://ponder/assets/app.js', bundle).status).toBe(200);
  });
});

describe('ponder serve static files', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ server: { staticDir: bundle } });
  });
  afterAll(async () => t?.close());

  it(
    `never sends the secret for any of ${paths.length} traversal spellings, and keeps serving`,
    { timeout: 120_000 },
    async () => {
      const leaked: string[] = [];
      for (const path of [...paths, '/assets/secret.js', '/assets/up/secret.txt']) {
        // A client sends non-ASCII percent-encoded; node:http refuses it raw.
        const wire = path.replace(/[^\x21-\x7e]/g, (char) => encodeURIComponent(char));
        const response = await rawRequest({ port: t.port, path: wire });
        expect(response.status, path).not.toBe(500);
        if (response.text.includes(SECRET)) leaked.push(path);
      }
      expect(leaked).toEqual([]);
      expect((await rawRequest({ port: t.port, path: '/assets/app.js' })).status).toBe(200);
    },
  );
});
