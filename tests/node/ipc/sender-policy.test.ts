import { describe, expect, it } from 'vitest';
import { createSenderPolicy, originOf } from '../../../main/ipc/sender-policy';

describe('sender policy', () => {
  it('reads origins of custom schemes and http', () => {
    expect(originOf('app://mso/index.html#/clinics')).toBe('app://mso');
    expect(originOf('http://127.0.0.1:5173/')).toBe('http://127.0.0.1:5173');
    expect(originOf('not a url')).toBeNull();
  });

  it('trusts only the main frame of our origin', () => {
    const policy = createSenderPolicy({ allowedOrigins: ['app://mso'] });
    expect(policy.isTrusted({ webContentsId: 3, frameUrl: 'app://mso/index.html', isMainFrame: true })).toBe(true);
    expect(policy.isTrusted({ webContentsId: 3, frameUrl: 'app://mso/index.html', isMainFrame: false })).toBe(false);
    expect(policy.isTrusted({ webContentsId: 3, frameUrl: 'app://other/index.html', isMainFrame: true })).toBe(false);
    expect(policy.isTrusted({ webContentsId: 3, frameUrl: 'https://mso/index.html', isMainFrame: true })).toBe(false);
  });

  it('refuses other windows when the trusted WebContents are known', () => {
    const policy = createSenderPolicy({ allowedOrigins: ['app://mso'], trustedWebContentsIds: () => new Set([7]) });
    expect(policy.isTrusted({ webContentsId: 7, frameUrl: 'app://mso/', isMainFrame: true })).toBe(true);
    expect(policy.isTrusted({ webContentsId: 8, frameUrl: 'app://mso/', isMainFrame: true })).toBe(false);
    expect(policy.isTrusted({ webContentsId: null, frameUrl: 'app://mso/', isMainFrame: true })).toBe(false);
  });
});
