/**
 * Browser sign-in (authorization code with PKCE, loopback redirect) against a real Medplum,
 * without a browser: a stand-in does what the browser and the person do. It opens the authorize
 * URL the console made (the server must send it on to its sign-in page), posts the sign-in as
 * that page does (`auth/login` with the client, PKCE challenge and scope), and follows the code
 * back to the console's loopback address. Real tier only: the local server has no
 * `oauth2/authorize` (tests/integration/session/session-manager.test.ts covers the rest there).
 */
import type { ClientApplication } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection, SignInResult } from '../../preload/api/schemas/connection';
import type { TestBackend } from '../support/backend';
import { startTestBackend } from '../support/backend';
import { unwrapOk } from '../support/envelope';
import { type TestMain, createDirectApi, createTestMain } from '../support/ipc';
import { signInAsAdmin } from '../support/local-server';

let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend();
});
afterAll(async () => {
  await backend.stop();
});

async function addConnection(main: TestMain, signIn: Connection['signIn']): Promise<Connection> {
  return unwrapOk(
    await createDirectApi(main).saveConnection({
      connection: { name: 'Backend under test', baseUrl: backend.baseUrl, projectId: backend.projectId, mrnSystem: backend.mrnSystem, isolationMode: 'shared-membership', signIn },
    }),
  );
}

function signedIn(result: SignInResult) {
  if (result.status !== 'signed-in') {
    throw new Error(`Expected a session, got ${result.status}`);
  }
  return result.session;
}

describe('browser sign-in (authorization code with PKCE, loopback redirect)', () => {
  it('completes when a browser goes through the server\'s authorize endpoint and sign-in, then back to the loopback address', async () => {
    const admin = await signInAsAdmin(backend);
    // Medplum compares the redirect URI exactly with the ones the client registered: the port is fixed.
    const port = 9617;
    const application = await admin.post<ClientApplication>(`admin/projects/${backend.projectId}/client`, {
      name: 'Console browser sign-in',
      redirectUris: [`http://127.0.0.1:${port}/callback`],
    });
    /** What the server answered the browser's first request (oauth2/authorize). */
    let authorizeAnswer: { status: number; location?: string; body?: string } | undefined;
    // Stands in for the system browser: it opens the authorize URL (which sends a person to the
    // server's sign-in page), posts the sign-in as that page does, and follows the code back.
    const browser = async (url: string) => {
      const authorize = new URL(url);
      const response = await fetch(authorize, { redirect: 'manual' });
      authorizeAnswer = { status: response.status, location: response.headers.get('location') ?? undefined, body: response.status >= 400 ? (await response.text()).slice(0, 200) : undefined };
      if (response.status !== 302) {
        throw new Error('The sign-in page did not open');
      }
      const params = authorize.searchParams;
      const login = await fetch(new URL('auth/login', backend.baseUrl), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          ...backend.admin,
          projectId: backend.projectId,
          clientId: params.get('client_id'),
          codeChallenge: params.get('code_challenge'),
          codeChallengeMethod: params.get('code_challenge_method'),
          scope: params.get('scope'),
          nonce: params.get('nonce') ?? undefined,
        }),
      });
      const { code } = (await login.json()) as { code?: string };
      if (!code) {
        throw new Error('The sign-in gave no code');
      }
      const back = new URL(params.get('redirect_uri') as string);
      back.searchParams.set('code', code);
      back.searchParams.set('state', params.get('state') as string);
      void fetch(back);
    };
    const main = createTestMain({ openBrowser: browser, loopbackPort: port });
    const connection = await addConnection(main, { method: 'authorization-code', clientId: application.id as string });
    const result = await createDirectApi(main).signIn({ connectionId: connection.id, credentials: { method: 'authorization-code' } });
    // The authorize endpoint must send the browser on to the sign-in page (not refuse the redirect URI).
    expect(authorizeAnswer?.status, `oauth2/authorize answered ${JSON.stringify(authorizeAnswer)}`).toBe(302);
    expect(signedIn(unwrapOk(result))).toMatchObject({ isProjectAdmin: true, projectId: backend.projectId, method: 'authorization-code' });
  });
});
