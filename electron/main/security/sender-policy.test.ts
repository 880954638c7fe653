import { describe, expect, it } from 'vitest';
import { isTrustedSender } from './sender-policy';

const own = new Set([1, 2]);

describe('IPC sender policy (SECURITY.md #3)', () => {
  it('accepts the main frame of an own window on the app origin', () => {
    expect(
      isTrustedSender(
        { webContentsId: 1, frameUrl: 'app://ponder/index.html', isMainFrame: true },
        own,
      ),
    ).toBe(true);
    expect(
      isTrustedSender(
        { webContentsId: 2, frameUrl: 'app://ponder/index.html#/quick', isMainFrame: true },
        own,
      ),
    ).toBe(true);
  });

  it.each([
    [
      'a foreign webContents',
      { webContentsId: 9, frameUrl: 'app://ponder/index.html', isMainFrame: true },
    ],
    ['an iframe', { webContentsId: 1, frameUrl: 'app://ponder/index.html', isMainFrame: false }],
    ['another origin', { webContentsId: 1, frameUrl: 'https://evil.example/', isMainFrame: true }],
    [
      'another app host',
      { webContentsId: 1, frameUrl: 'app://evil/index.html', isMainFrame: true },
    ],
    ['a file page', { webContentsId: 1, frameUrl: 'file:///tmp/x.html', isMainFrame: true }],
    ['a destroyed frame', { webContentsId: 1, frameUrl: null, isMainFrame: true }],
    [
      'the dev server when not in dev',
      { webContentsId: 1, frameUrl: 'http://localhost:5173/', isMainFrame: true },
    ],
  ])('refuses %s', (_name, sender) => {
    expect(isTrustedSender(sender, own)).toBe(false);
  });

  it('accepts the dev server only in development', () => {
    const sender = { webContentsId: 1, frameUrl: 'http://localhost:5173/', isMainFrame: true };
    expect(isTrustedSender(sender, own, 'http://localhost:5173')).toBe(true);
  });
});
