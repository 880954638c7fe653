import { appPageUrl } from '../security/app-origin';

/** The renderer page for a view: the dev server while developing, app:// otherwise. */
export function pageUrl(view: 'main' | 'quick', devServerUrl?: string): string {
  const hash = view === 'quick' ? '/quick' : '';
  if (devServerUrl) return `${devServerUrl.replace(/\/$/, '')}/${hash ? `#${hash}` : ''}`;
  return appPageUrl(hash);
}
