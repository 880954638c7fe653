import { describe, expect, it } from 'vitest';
import { checkExternalUrl } from './open-external-policy';

describe('openExternal policy (SECURITY.md #9)', () => {
  it.each([
    ['https://example.com/page?q=1#x', 'https://example.com/page?q=1#x'],
    ['http://example.org', 'http://example.org/'],
    ['mailto:someone@example.com', 'mailto:someone@example.com'],
    ['HTTPS://EXAMPLE.COM/A', 'https://example.com/A'],
  ])('opens %s', (raw, expected) => {
    expect(checkExternalUrl(raw)).toEqual({ ok: true, value: expected });
  });

  it.each([
    'file:///etc/passwd',
    'file://server/share/x.exe',
    'smb://evil.example/share',
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox',
    'ms-msdt:/id PCWDiagnostic',
    'search-ms:query=x',
    'vscode://file/etc/passwd',
    'steam://run/1',
    'app://ponder/index.html',
    'ftp://example.com/file',
    ' https://example.com',
    'https://example.com ',
    '\thttps://example.com',
    'https://exa mple.com',
    'https://example.com/\u0000',
    'https://user:pass@example.com/',
    'https://',
    'example.com',
    '//example.com',
    '/relative/path',
    '',
    'x'.repeat(5000),
  ])('refuses %j', (raw) => {
    const result = checkExternalUrl(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('forbidden');
      expect(result.error.message).toMatch(/^Ponder will not open this link: /);
    }
  });

  it.each([undefined, null, 42, { href: 'https://example.com' }, ['https://example.com']])(
    'refuses a non-string %j',
    (raw) => expect(checkExternalUrl(raw).ok).toBe(false),
  );
});
