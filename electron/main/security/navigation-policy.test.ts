import { describe, expect, it } from 'vitest';
import { appPageUrl } from './app-origin';
import { isNavigationAllowed, windowOpenDecision } from './navigation-policy';

describe('navigation policy (SECURITY.md #8)', () => {
  it.each([appPageUrl(), appPageUrl('/quick'), 'app://ponder/', 'app://ponder/index.html?x=1'])(
    'stays within the app: %s',
    (url) => expect(isNavigationAllowed(url)).toBe(true),
  );

  it.each([
    'https://evil.example/',
    'http://127.0.0.1:8080/',
    'file:///etc/passwd',
    'app://evil/index.html',
    'app://ponder.evil.example/index.html',
    'app://user@ponder/index.html',
    'javascript:alert(1)',
    'about:blank',
    'data:text/html,hi',
    'not a url',
  ])('refuses %s', (url) => expect(isNavigationAllowed(url)).toBe(false));

  it('allows the dev server only when one is given', () => {
    expect(isNavigationAllowed('http://localhost:5173/#/quick')).toBe(false);
    expect(isNavigationAllowed('http://localhost:5173/#/quick', 'http://localhost:5173')).toBe(
      true,
    );
    expect(isNavigationAllowed('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
  });

  it('denies every window.open', () => {
    expect(windowOpenDecision()).toEqual({ action: 'deny' });
  });
});
