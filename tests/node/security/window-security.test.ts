import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../main/logging/logger';
import { contentSecurityPolicy, developmentContentSecurityPolicy } from '../../../main/security/content-security-policy';
import { isSafeExternalUrl, isSafeSignInUrl } from '../../../main/security/external-url';
import { guardSession, guardWebContents } from '../../../main/security/web-contents-guard';
import { createMainWindowOptions } from '../../../main/security/window-options';

type Listener = (event: { preventDefault: () => void }, ...args: unknown[]) => void;

function fakeWebContents() {
  const listeners = new Map<string, Listener[]>();
  let windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    on: vi.fn((name: string, listener: Listener) => {
      listeners.set(name, [...(listeners.get(name) ?? []), listener]);
      return contents;
    }),
    setWindowOpenHandler: vi.fn((handler: typeof windowOpenHandler) => {
      windowOpenHandler = handler;
    }),
    closeDevTools: vi.fn(),
  };
  const emit = (name: string, ...args: unknown[]) => {
    const event = { preventDefault: vi.fn() };
    for (const listener of listeners.get(name) ?? []) listener(event, ...args);
    return event;
  };
  return { contents, emit, openWindow: (url: string) => windowOpenHandler?.({ url }) };
}

describe('window options', () => {
  it('meet the Electron security baseline', () => {
    const options = createMainWindowOptions({ preloadPath: '/app/preload.js', packaged: true });
    expect(options.webPreferences).toMatchObject({
      preload: '/app/preload.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
  });

  it('allow DevTools only in development', () => {
    expect(createMainWindowOptions({ preloadPath: 'p', packaged: false }).webPreferences?.devTools).toBe(true);
  });
});

describe('web contents guard', () => {
  const setup = (packaged = true) => {
    const fake = fakeWebContents();
    const openExternal = vi.fn(async () => undefined);
    guardWebContents(fake.contents as never, { appOrigins: ['app://mso'], packaged, openExternal, logger: silentLogger });
    return { ...fake, openExternal };
  };

  it('denies navigation away from the UI and allows it within', () => {
    const { emit } = setup();
    expect(emit('will-navigate', 'https://evil.example/').preventDefault).toHaveBeenCalled();
    expect(emit('will-navigate', 'file:///etc/passwd').preventDefault).toHaveBeenCalled();
    expect(emit('will-redirect', 'https://evil.example/').preventDefault).toHaveBeenCalled();
    expect(emit('will-navigate', 'app://mso/index.html#/clinics').preventDefault).not.toHaveBeenCalled();
  });

  it('denies every new window and opens only https links in the system browser', () => {
    const { openWindow, openExternal } = setup();
    expect(openWindow('https://www.medplum.com/docs')).toEqual({ action: 'deny' });
    expect(openWindow('http://plain.example/')).toEqual({ action: 'deny' });
    expect(openWindow('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(openWindow('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://www.medplum.com/docs']]);
  });

  it('refuses webviews', () => {
    const { emit } = setup();
    expect(emit('will-attach-webview', {}, {}).preventDefault).toHaveBeenCalled();
  });

  it('closes DevTools in a packaged build', () => {
    const { emit, contents } = setup(true);
    emit('devtools-opened');
    expect(contents.closeDevTools).toHaveBeenCalled();
  });
});

describe('session guard', () => {
  it('denies every permission and adds the CSP to every response', () => {
    let requestHandler: ((c: unknown, p: string, cb: (granted: boolean) => void) => void) | undefined;
    let checkHandler: (() => boolean) | undefined;
    let deviceHandler: (() => boolean) | undefined;
    let headersHandler:
      | ((d: { responseHeaders?: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void)
      | undefined;
    guardSession({
      setPermissionRequestHandler: (handler: typeof requestHandler) => (requestHandler = handler),
      setPermissionCheckHandler: (handler: typeof checkHandler) => (checkHandler = handler),
      setDevicePermissionHandler: (handler: typeof deviceHandler) => (deviceHandler = handler),
      webRequest: { onHeadersReceived: (handler: typeof headersHandler) => (headersHandler = handler) },
    } as never);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      requestHandler?.({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    expect(checkHandler?.()).toBe(false);
    expect(deviceHandler?.()).toBe(false);
    const callback = vi.fn();
    headersHandler?.({ responseHeaders: { 'X-Other': ['1'] } }, callback);
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [contentSecurityPolicy] },
    });
    expect(contentSecurityPolicy).toContain("default-src 'self'");
    expect(contentSecurityPolicy).toContain("script-src 'self'");
    expect(contentSecurityPolicy).not.toContain('unsafe-eval');
    expect(/script-src ([^;]*)/.exec(contentSecurityPolicy)?.[1]).toBe("'self'");
    // The dev-server variant loosens only scripts and the hot-reload socket.
    expect(developmentContentSecurityPolicy).toContain("script-src 'self' 'unsafe-inline'");
    expect(developmentContentSecurityPolicy.replace("script-src 'self' 'unsafe-inline'", "script-src 'self'").replace(' ws://localhost:* ws://127.0.0.1:*', '')).toBe(
      contentSecurityPolicy,
    );
  });
});

describe('external links', () => {
  it('are https only, without credentials', () => {
    expect(isSafeExternalUrl('https://www.medplum.com/')).toBe(true);
    expect(isSafeExternalUrl('http://www.medplum.com/')).toBe(false);
    expect(isSafeExternalUrl('https://user:pw@example.com/')).toBe(false);
    expect(isSafeExternalUrl('smb://share/x')).toBe(false);
    expect(isSafeExternalUrl('not a url')).toBe(false);
  });
});

describe('sign-in pages opened in the system browser', () => {
  it('are https anywhere, or plain http only on this machine', () => {
    expect(isSafeSignInUrl('https://api.medplum.com/oauth2/authorize?x=1')).toBe(true);
    expect(isSafeSignInUrl('http://127.0.0.1:8103/oauth2/authorize')).toBe(true);
    expect(isSafeSignInUrl('http://localhost:8103/oauth2/authorize')).toBe(true);
    expect(isSafeSignInUrl('http://[::1]:8103/oauth2/authorize')).toBe(true);
    for (const url of ['http://intranet.example/oauth2/authorize', 'http://127.0.0.1.evil.example/', 'https://user:pw@api.medplum.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url']) {
      expect(isSafeSignInUrl(url), url).toBe(false);
    }
    // Everything else that leaves the console stays https only.
    expect(isSafeExternalUrl('http://127.0.0.1:8103/')).toBe(false);
  });
});
