import { describe, expect, it } from 'vitest';
import type { PermissionSession } from './permission-policy';
import { denyAllPermissions } from './permission-policy';

describe('permission policy (SECURITY.md #10)', () => {
  it('denies camera, microphone, notifications and every other request and check', () => {
    let request: Parameters<PermissionSession['setPermissionRequestHandler']>[0] | undefined;
    let check: Parameters<PermissionSession['setPermissionCheckHandler']>[0] | undefined;
    denyAllPermissions({
      setPermissionRequestHandler: (handler) => (request = handler),
      setPermissionCheckHandler: (handler) => (check = handler),
    });
    for (const permission of [
      'media',
      'notifications',
      'geolocation',
      'clipboard-read',
      'openExternal',
      'hid',
    ]) {
      let granted: boolean | undefined;
      request?.({}, permission, (answer) => (granted = answer));
      expect(granted).toBe(false);
      expect(check?.({}, permission)).toBe(false);
    }
  });

  it('allows only writing text to the clipboard (the Copy button)', () => {
    let check: Parameters<PermissionSession['setPermissionCheckHandler']>[0] | undefined;
    denyAllPermissions({
      setPermissionRequestHandler: () => {},
      setPermissionCheckHandler: (handler) => (check = handler),
    });
    expect(check?.({}, 'clipboard-sanitized-write')).toBe(true);
    expect(check?.({}, 'clipboard-read')).toBe(false);
  });
});
