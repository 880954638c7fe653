import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveBundlePath } from './protocol-path';

const work = mkdtempSync(join(tmpdir(), 'ponder-protocol-'));
const bundle = join(work, 'renderer');
mkdirSync(join(bundle, 'assets'), { recursive: true });
writeFileSync(join(bundle, 'index.html'), '<!doctype html>');
writeFileSync(join(bundle, 'assets', 'index-abc.js'), 'export {}');
writeFileSync(join(bundle, 'assets', 'a b.css'), 'body{}');
writeFileSync(join(work, 'secret.txt'), 'conversation history');
writeFileSync(join(bundle, 'notes.txt'), 'not a bundle type');
symlinkSync(join(work, 'secret.txt'), join(bundle, 'assets', 'link.js'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('app:// protocol (SECURITY.md #11)', () => {
  it.each([
    ['app://ponder/', 'index.html', 'text/html; charset=utf-8'],
    ['app://ponder/index.html', 'index.html', 'text/html; charset=utf-8'],
    ['app://ponder/index.html?x=1#/quick', 'index.html', 'text/html; charset=utf-8'],
    ['app://ponder/assets/index-abc.js', 'assets/index-abc.js', 'text/javascript; charset=utf-8'],
    ['app://ponder/assets/a%20b.css', 'assets/a b.css', 'text/css; charset=utf-8'],
  ])('serves %s', (url, file, mimeType) => {
    const lookup = resolveBundlePath(url, bundle);
    expect(lookup).toMatchObject({ status: 200, mimeType });
    if (lookup.status === 200) expect(lookup.file.endsWith(file)).toBe(true);
  });

  it.each([
    'app://ponder/../secret.txt',
    'app://ponder/assets/../../secret.txt',
    'app://ponder/%2e%2e/secret.txt',
    'app://ponder/%2E%2E%2Fsecret.txt',
    'app://ponder/assets%2f..%2f..%2fsecret.txt',
    'app://ponder/%252e%252e/secret.txt',
    'app://ponder/..%5csecret.txt',
    'app://ponder/..\\secret.txt',
    'app://ponder/%00index.html',
    'app://ponder/%E0%A4%A',
    'app://ponder/assets/link.js',
    'app://ponder/notes.txt',
    'app://evil/index.html',
    'file:///etc/passwd',
    'https://ponder/index.html',
  ])('refuses %s with 403', (url) => {
    expect(resolveBundlePath(url, bundle).status).toBe(403);
  });

  it('answers 404 for a file the bundle lacks', () => {
    expect(resolveBundlePath('app://ponder/assets/missing.js', bundle).status).toBe(404);
  });
});
