import { describe, expect, it } from 'vitest';
import { HttpError } from './http-error';
import { safeRelativePath } from './static-files';

describe('safeRelativePath', () => {
  it.each([
    '/../etc/passwd',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/assets%2f..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/assets\\..\\secret.txt',
    '/index.html%00.js',
    '/%c0%ae%c0%ae/secret.txt',
  ])('refuses %s', (path) => {
    let status = 0;
    try {
      safeRelativePath(path);
    } catch (error) {
      if (error instanceof HttpError) status = error.status;
    }
    expect(status).toBe(403);
  });

  it('splits ordinary paths', () => {
    expect(safeRelativePath('/')).toEqual([]);
    expect(safeRelativePath('/assets/index-abc.js')).toEqual(['assets', 'index-abc.js']);
    expect(safeRelativePath('/./a//b%20c.txt')).toEqual(['a', 'b c.txt']);
  });
});
