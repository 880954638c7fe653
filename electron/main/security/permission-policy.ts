/** The two session hooks Ponder sets; an Electron Session satisfies this shape. */
export interface PermissionSession {
  setPermissionRequestHandler(
    handler: (
      webContents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
    ) => void,
  ): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
}

/**
 * The one exception: writing plain text to the clipboard, which the Copy button does on a click.
 * Reading the clipboard stays denied.
 */
const ALLOWED = new Set(['clipboard-sanitized-write']);

/**
 * Ponder needs no camera, microphone, notifications, geolocation or anything else a page can ask
 * for: every request and every check is denied (SECURITY.md #10), except ALLOWED.
 */
export function denyAllPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_webContents, permission, callback) =>
    callback(ALLOWED.has(permission)),
  );
  session.setPermissionCheckHandler((_webContents, permission) => ALLOWED.has(permission));
}
