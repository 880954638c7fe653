/**
 * SECURITY.md #9. The rule lives in electron/shared so the browser transport applies the very same
 * check before window.open; main applies it before shell.openExternal.
 */
export { checkExternalUrl } from '../../shared/external-url';
