/**
 * Locks down what a page may do once loaded: no navigation away from the UI, no new windows,
 * no webviews, no DevTools when packaged, and no permission ever granted. Takes the Electron
 * objects as arguments so that tests can hand it fakes and check every rule.
 */
import type { Session, WebContents } from 'electron';
import type { Logger } from '../logging/logger';
import { contentSecurityPolicy } from './content-security-policy';
import { isSafeExternalUrl } from './external-url';
import { originOf } from '../ipc/sender-policy';

export interface GuardOptions {
  /** Origins of our UI (app://mso, or the dev server in development). */
  appOrigins: readonly string[];
  packaged: boolean;
  openExternal: (url: string) => Promise<void>;
  logger: Logger;
}

type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler' | 'closeDevTools'>;

export function guardWebContents(contents: GuardedContents, options: GuardOptions): void {
  const appOrigins = new Set(options.appOrigins.map(originOf));
  const isAppUrl = (url: string) => appOrigins.has(originOf(url));

  contents.on('will-navigate', (event, url) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    options.logger.warn('security.navigation_denied', { origin: originOf(url) });
  });
  contents.on('will-redirect', (event, url) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    // A link the user clicked opens in their browser when it is https; no window opens here.
    if (isSafeExternalUrl(url)) void options.openExternal(url);
    return { action: 'deny' };
  });
  if (options.packaged) {
    contents.on('devtools-opened', () => contents.closeDevTools());
  }
}

type GuardedSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'> & {
  webRequest: Pick<Session['webRequest'], 'onHeadersReceived'>;
};

export function guardSession(session: GuardedSession, csp: string = contentSecurityPolicy): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] },
    });
  });
}
