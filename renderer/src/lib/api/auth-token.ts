const STORAGE_KEY = 'ponder.token';

/**
 * The bearer token for `ponder serve`. The server prints the UI address as `…/#token=TOKEN`: the
 * fragment never reaches a server log or a Referer. It is moved to sessionStorage (gone when the tab
 * closes) and removed from the address bar so it is not bookmarked or shared by accident.
 */
export function takeTokenFromLocation(
  location: Location,
  storage: Storage,
  history: History,
): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_\-.~%]+)/.exec(location.hash);
  if (match?.[1]) {
    storage.setItem(STORAGE_KEY, decodeURIComponent(match[1]));
    const rest = location.hash
      .replace(/^#/, '')
      .split('&')
      .filter((part) => !part.startsWith('token='))
      .join('&');
    history.replaceState(
      history.state,
      '',
      `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`,
    );
  }
  return storage.getItem(STORAGE_KEY);
}
