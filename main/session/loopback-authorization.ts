/**
 * Authorization code with PKCE in the system browser, as Medplum's CLI does: a one-shot HTTP
 * listener on 127.0.0.1 receives the redirect, checks `state`, and hands back the code.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../errors/app-error';
import type { PkcePair } from './pkce';

export interface LoopbackAuthorization {
  authorizeUrl: string;
  redirectUri: string;
  /** Resolves with the code once the browser comes back; rejects on timeout, abort or close. */
  code: Promise<string>;
  /** Ends the flow now (the browser could not be opened, the sign-in was given up). */
  close(): void;
}

/**
 * The loopback port of the redirect. Medplum accepts only a redirect URI registered on the
 * ClientApplication, compared exactly, so the port is fixed: register
 * `http://127.0.0.1:9616/callback` (docs/connections.md). 0 picks any free port (tests).
 */
export const LOOPBACK_REDIRECT_PORT = 9616;

const DONE_PAGE = `<!doctype html><meta charset="utf-8"><title>MSO Admin Console</title>
<body style="font-family:system-ui;margin:3rem"><h1>Signed in</h1><p>You can close this tab and return to MSO Admin Console.</p></body>`;

export async function startLoopbackAuthorization(options: {
  baseUrl: string;
  clientId: string;
  pkce: PkcePair;
  signal?: AbortSignal;
  timeoutMs?: number;
  port?: number;
}): Promise<LoopbackAuthorization> {
  const state = randomBytes(16).toString('base64url');
  let settle: { resolve: (code: string) => void; reject: (error: Error) => void } | null = null;
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  // A flow nobody waits for any more (closed, timed out) must not become an unhandled rejection.
  code.catch(() => undefined);

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
      response.writeHead(404).end();
      return;
    }
    const returnedState = url.searchParams.get('state');
    const returnedCode = url.searchParams.get('code');
    if (returnedState !== state || !returnedCode) {
      // Anything on this machine can call the listener: a wrong request is refused, and the
      // sign-in goes on waiting for the browser's real answer.
      response.writeHead(400, { 'Content-Type': 'text/plain' }).end('This sign-in link is not valid. Start again from the console.');
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(DONE_PAGE);
    finish(null, returnedCode);
  });

  const port = options.port ?? LOOPBACK_REDIRECT_PORT;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new AppError('conflict', `Browser sign-in needs port ${port} on this computer, and another program (or another sign-in) is using it. Close it and try again.`)
          : error,
      ),
    );
    server.listen(port, '127.0.0.1', resolve);
  });
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  const timer = setTimeout(
    () => finish(new AppError('not_signed_in', 'The sign-in in the browser took too long. Start it again.')),
    options.timeoutMs ?? 5 * 60_000,
  );
  const onAbort = () => finish(new AppError('cancelled', 'Sign-in cancelled.'));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  function finish(error: Error | null, value?: string): void {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    server.close();
    server.closeAllConnections();
    if (error) settle?.reject(error);
    else if (value) settle?.resolve(value);
  }

  const authorizeUrl = new URL('oauth2/authorize', options.baseUrl);
  authorizeUrl.search = new URLSearchParams({
    response_type: 'code',
    client_id: options.clientId,
    redirect_uri: redirectUri,
    // `offline`: Medplum gives a refresh token only for it, and restoring needs one.
    scope: 'openid offline',
    state,
    code_challenge: options.pkce.codeChallenge,
    code_challenge_method: options.pkce.codeChallengeMethod,
  }).toString();
  return {
    authorizeUrl: authorizeUrl.toString(),
    redirectUri,
    code,
    close: () => finish(new AppError('cancelled', 'Sign-in ended.')),
  };
}
