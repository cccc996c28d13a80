/**
 * Sign-in against the local server over real HTTP, through the same handlers the window uses:
 * email and password (with the membership choice), client credentials, restore from the
 * keychain alone, expiry, and sign-out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientApplication } from '@medplum/fhirtypes';
import type { Connection, SessionInfo, SignInResult } from '../../../preload/api/schemas/connection';
import { randomUUID } from 'node:crypto';
import { MemorySecretStore } from '../../../main/secrets/memory-secret-store';
import { KeytarSecretStore } from '../../../main/secrets/keytar-secret-store';
import { type TestMain, createDirectApi, createTestMain } from '../../support/ipc';
import { type LocalServer, createClinic, createClinician, signInAsAdmin, startTestServer } from '../../support/local-server';
import { unwrapOk } from '../../support/envelope';
import { credentialIdentity, openSecret, sealSecret } from '../../../main/session/bound-secret';

let server: LocalServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

async function addConnection(main: TestMain, connection: Partial<Connection> & Pick<Connection, 'signIn'>): Promise<Connection> {
  const api = createDirectApi(main);
  return unwrapOk(
    await api.saveConnection({
      connection: {
        name: 'Local test server',
        baseUrl: server.baseUrl,
        mrnSystem: 'https://example.org/mrn',
        isolationMode: 'shared-membership',
        ...connection,
      },
    }),
  );
}

describe('sign-in with email and password', () => {
  it('signs in as a project admin, keeps only the refresh token in the keychain, and restores from it alone', async () => {
    const secrets = new MemorySecretStore();
    const first = createTestMain({ secrets });
    const connection = await addConnection(first, { signIn: { method: 'password', email: server.admin.email } });
    const result = unwrapOk(
      await createDirectApi(first).signIn({
        connectionId: connection.id,
        credentials: { method: 'password', email: server.admin.email, password: server.admin.password },
      }),
    );
    expect(result.status).toBe('signed-in');
    const session = (result as Extract<SignInResult, { status: 'signed-in' }>).session;
    expect(session).toMatchObject({ projectId: server.projectId, isProjectAdmin: true, connectionId: connection.id });
    expect(await secrets.get(connection.id, 'refresh-token')).toEqual(expect.any(String));

    // A fresh set of main services (as after a restart) with the same settings folder and keychain.
    const second = createTestMain({ secrets, userDataDir: first.userDataDir });
    const restored = unwrapOk(await createDirectApi(second).getSession());
    expect(restored).toMatchObject({ projectId: server.projectId, profileReference: session.profileReference, isProjectAdmin: true });
    // The restored session really works against the server.
    const me = await second.sessions.client().get('auth/me', { cache: 'no-cache' });
    expect(me).toMatchObject({ project: { id: server.projectId } });
  });

  it('restores from the real OS keychain (keytar) after a restart', async () => {
    const keychain = new KeytarSecretStore(`MSO restore test ${randomUUID()}`);
    const first = createTestMain({ secrets: keychain });
    const connection = await addConnection(first, { signIn: { method: 'password' } });
    unwrapOk(
      await createDirectApi(first).signIn({
        connectionId: connection.id,
        credentials: { method: 'password', email: server.admin.email, password: server.admin.password },
      }),
    );
    // A new keytar store object, as a new process would have, reading the same keychain.
    const restarted = createTestMain({ secrets: new KeytarSecretStore(keychain.serviceName), userDataDir: first.userDataDir });
    const restored = unwrapOk(await createDirectApi(restarted).getSession());
    expect(restored).toMatchObject({ projectId: server.projectId, isProjectAdmin: true });
    unwrapOk(await createDirectApi(restarted).signOut());
    expect(await keychain.get(connection.id, 'refresh-token')).toBeNull();
  });

  it('says plainly when the password is wrong', async () => {
    const main = createTestMain();
    const connection = await addConnection(main, { signIn: { method: 'password' } });
    const result = await createDirectApi(main).signIn({
      connectionId: connection.id,
      credentials: { method: 'password', email: server.admin.email, password: 'wrong-password' },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'not_signed_in', message: expect.stringContaining('not right') } });
  });

  it('asks which membership when the user has several, then signs in to the chosen one', async () => {
    const admin = await signInAsAdmin(server);
    const [clinicA, clinicB] = [await createClinic(admin, 'North'), await createClinic(admin, 'South')];
    const clinician = await createClinician(server, admin, [clinicA]);
    // A second membership for the same user (strict isolation: one membership per clinic).
    await admin.invite(server.projectId, {
      resourceType: 'Practitioner',
      firstName: 'Test',
      lastName: 'Second',
      email: clinician.email,
      sendEmail: false,
      scope: 'project',
      forceNewMembership: true,
      membership: { access: [{ policy: { reference: 'AccessPolicy/unused' }, parameter: [{ name: 'organization', valueReference: { reference: `Organization/${clinicB.id}` } }] }] },
    } as never);

    const main = createTestMain();
    const api = createDirectApi(main);
    const connection = await addConnection(main, { projectId: server.projectId, signIn: { method: 'password' } });
    const result = unwrapOk(
      await api.signIn({ connectionId: connection.id, credentials: { method: 'password', email: clinician.email, password: clinician.password } }),
    );
    expect(result.status).toBe('choose-membership');
    if (result.status !== 'choose-membership') return;
    expect(result.memberships).toHaveLength(2);
    const chosen = result.memberships.find((membership) => membership.id === clinician.membership.id);
    expect(chosen).toBeDefined();
    const session: SessionInfo = unwrapOk(await api.chooseMembership({ pendingId: result.pendingId, membershipId: clinician.membership.id }));
    expect(session).toMatchObject({ isProjectAdmin: false, projectId: server.projectId });
    expect(main.sessions.client().getProjectMembership()?.id).toBe(clinician.membership.id);
  });
});

describe('sign-in with client credentials', () => {
  it('signs in with a ClientApplication secret kept in the keychain, and restores with it', async () => {
    const admin = await signInAsAdmin(server);
    const application = await admin.post<ClientApplication & { secret: string }>(`admin/projects/${server.projectId}/client`, {
      name: 'IT automation',
      description: 'mso-admin import',
      admin: true,
    });
    const secrets = new MemorySecretStore();
    const main = createTestMain({ secrets });
    const connection = await addConnection(main, { signIn: { method: 'client-credentials', clientId: application.id as string } });
    const result = unwrapOk(
      await createDirectApi(main).signIn({ connectionId: connection.id, credentials: { method: 'client-credentials', clientSecret: application.secret } }),
    );
    expect(result).toMatchObject({ status: 'signed-in', session: { profileReference: `ClientApplication/${application.id}` } });
    // Kept sealed to the server, project, method and client it was issued for.
    const stored = (await secrets.get(connection.id, 'client-secret')) as string;
    expect(stored).not.toContain(server.baseUrl);
    expect(openSecret(stored, credentialIdentity(connection))).toBe(application.secret);
    expect(openSecret(stored, credentialIdentity({ ...connection, baseUrl: 'https://elsewhere.example/' }))).toBeNull();

    const restartedMain = createTestMain({ secrets, userDataDir: main.userDataDir });
    const restored = unwrapOk(await createDirectApi(restartedMain).getSession());
    expect(restored?.profileReference).toBe(`ClientApplication/${application.id}`);
  });
});

describe('session lifecycle', () => {
  it('sign-out removes the keychain entries and the next start asks for a sign-in', async () => {
    const secrets = new MemorySecretStore();
    const main = createTestMain({ secrets });
    const api = createDirectApi(main);
    const connection = await addConnection(main, { signIn: { method: 'password' } });
    unwrapOk(await api.signIn({ connectionId: connection.id, credentials: { method: 'password', email: server.admin.email, password: server.admin.password } }));
    expect(await secrets.get(connection.id, 'refresh-token')).not.toBeNull();
    unwrapOk(await api.signOut());
    expect(await secrets.get(connection.id, 'refresh-token')).toBeNull();
    expect(unwrapOk(await api.getSession())).toBeNull();
    expect(main.sessionEvents.map((event) => event.state)).toEqual(['signed-in', 'signed-out']);
    const restarted = createTestMain({ secrets, userDataDir: main.userDataDir });
    expect(unwrapOk(await createDirectApi(restarted).getSession())).toBeNull();
  });

  it('a revoked refresh token goes back to sign-in with the reason, and is forgotten', async () => {
    const secrets = new MemorySecretStore();
    const main = createTestMain({ secrets });
    const connection = await addConnection(main, { signIn: { method: 'password' } });
    await main.connections.setActive(connection.id);
    await secrets.set(connection.id, 'refresh-token', sealSecret(credentialIdentity(connection), 'revoked-or-made-up'));
    expect(unwrapOk(await createDirectApi(main).getSession())).toBeNull();
    expect(main.sessionEvents).toEqual([
      { state: 'expired', connectionId: connection.id, reason: expect.stringContaining('Sign in again') },
    ]);
    expect(await secrets.get(connection.id, 'refresh-token')).toBeNull();
  });

  it('keeps working across access-token expiry by refreshing, and stores the rotated refresh token', async () => {
    const shortLived = await startTestServer({ accessTokenLifetimeSeconds: 2 });
    try {
      const secrets = new MemorySecretStore();
      // Tokens here live 2 s, far less than the client's usual 5-minute refresh margin.
      const main = createTestMain({ secrets, refreshGracePeriodMs: 0 });
      const connection = unwrapOk(
        await createDirectApi(main).saveConnection({
          connection: { name: 'Short', baseUrl: shortLived.baseUrl, mrnSystem: 'https://example.org/mrn', isolationMode: 'shared-membership', signIn: { method: 'password' } },
        }),
      );
      unwrapOk(
        await createDirectApi(main).signIn({
          connectionId: connection.id,
          credentials: { method: 'password', email: shortLived.admin.email, password: shortLived.admin.password },
        }),
      );
      const firstToken = main.sessions.client().getAccessToken();
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const patients = await main.sessions.client().searchResources('Patient', { _count: '1' }, { cache: 'no-cache' });
      expect(Array.isArray(patients)).toBe(true);
      expect(main.sessions.client().getAccessToken()).not.toBe(firstToken);
      expect(main.sessions.current()).not.toBeNull();
      expect(await secrets.get(connection.id, 'refresh-token')).toEqual(expect.any(String));
    } finally {
      await shortLived.stop();
    }
  });
});

describe('a token endpoint that fails for a moment', () => {
  it('a token endpoint that fails for a moment (503) ends the session but keeps the saved sign-in', async () => {
    const shortLived = await startTestServer({ accessTokenLifetimeSeconds: 2 });
    try {
      let outage = false;
      const flaky: typeof fetch = async (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        if (outage && url.endsWith('/oauth2/token')) return new Response('down for maintenance', { status: 503 });
        return fetch(input, init);
      };
      const secrets = new MemorySecretStore();
      const main = createTestMain({ secrets, fetch: flaky, refreshGracePeriodMs: 0 });
      const api = createDirectApi(main);
      const connection = unwrapOk(
        await api.saveConnection({
          connection: { name: 'Short', baseUrl: shortLived.baseUrl, projectId: shortLived.projectId, mrnSystem: 'https://example.org/mrn', isolationMode: 'shared-membership', signIn: { method: 'password' } },
        }),
      );
      unwrapOk(await api.signIn({ connectionId: connection.id, credentials: { method: 'password', email: shortLived.admin.email, password: shortLived.admin.password } }));
      const saved = await secrets.get(connection.id, 'refresh-token');
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      outage = true;
      await main.sessions.client().searchResources('Organization', { _count: '1' }, { cache: 'no-cache' } as RequestInit).catch(() => undefined);
      expect(main.sessionEvents.at(-1)).toMatchObject({ state: 'expired', reason: expect.stringContaining('saved sign-in is kept'), signInKept: true });
      expect(await secrets.get(connection.id, 'refresh-token')).toBe(saved);
      outage = false;
      // The next start restores from it.
      const restarted = createTestMain({ secrets, userDataDir: main.userDataDir, refreshGracePeriodMs: 0 });
      const restored = unwrapOk(await createDirectApi(restarted).getSession());
      expect(restored?.connectionId, JSON.stringify({ events: restarted.sessionEvents, settings: await restarted.connections.list() })).toBe(connection.id);
    } finally {
      await shortLived.stop();
    }
  });
});

/** What the server's sign-in page and the browser do: sign the admin in, then go back to the loopback address. */
async function returnSignedIn(params: URLSearchParams): Promise<void> {
  const login = await fetch(new URL('auth/login', server.baseUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      email: server.admin.email,
      password: server.admin.password,
      clientId: params.get('client_id'),
      codeChallenge: params.get('code_challenge'),
      codeChallengeMethod: params.get('code_challenge_method'),
      scope: params.get('scope'),
    }),
  });
  const { code } = (await login.json()) as { code: string };
  const back = new URL(params.get('redirect_uri') as string);
  back.searchParams.set('code', code);
  back.searchParams.set('state', params.get('state') as string);
  void fetch(back);
}

describe('browser sign-in (authorization code with PKCE, loopback redirect)', () => {
  it('completes when the browser comes back to the loopback address with the code', async () => {
    const admin = await signInAsAdmin(server);
    const application = await admin.post<ClientApplication & { secret: string }>(`admin/projects/${server.projectId}/client`, {
      name: 'Console browser sign-in',
    });
    const opened: string[] = [];
    // Stands in for the system browser: the user signs in on the server's page, which redirects back.
    const browser = async (url: string) => {
      opened.push(url);
      const authorize = new URL(url);
      const params = authorize.searchParams;
      await returnSignedIn(params);
    };
    const secrets = new MemorySecretStore();
    const main = createTestMain({ secrets, openBrowser: browser });
    const connection = await addConnection(main, { signIn: { method: 'authorization-code', clientId: application.id as string } });
    const result = unwrapOk(await createDirectApi(main).signIn({ connectionId: connection.id, credentials: { method: 'authorization-code' } }));
    expect(result).toMatchObject({ status: 'signed-in', session: { isProjectAdmin: true, projectId: server.projectId } });
    const authorize = new URL(opened[0] as string);
    expect(authorize.pathname).toBe('/oauth2/authorize');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(await secrets.get(connection.id, 'refresh-token')).toEqual(expect.any(String));
  });

  it('refuses a callback whose state does not match, and keeps waiting for the real one', async () => {
    const admin = await signInAsAdmin(server);
    const application = await admin.post<ClientApplication>(`admin/projects/${server.projectId}/client`, { name: 'State check' });
    const strays: number[] = [];
    const browser = async (url: string) => {
      const params = new URL(url).searchParams;
      // Something else on this machine calls the listener first, with a made-up state.
      const forged = new URL(params.get('redirect_uri') as string);
      forged.searchParams.set('code', 'some-code');
      forged.searchParams.set('state', 'forged-state');
      strays.push((await fetch(forged)).status);
      // Then the browser comes back with the real answer.
      await returnSignedIn(params);
    };
    const main = createTestMain({ openBrowser: browser });
    const connection = await addConnection(main, { signIn: { method: 'authorization-code', clientId: application.id as string } });
    const result = unwrapOk(await createDirectApi(main).signIn({ connectionId: connection.id, credentials: { method: 'authorization-code' } }));
    expect(strays).toEqual([400]);
    expect(result).toMatchObject({ status: 'signed-in', session: { projectId: server.projectId } });
  });

  it('ends the flow and says so when the browser cannot be opened', async () => {
    const admin = await signInAsAdmin(server);
    const application = await admin.post<ClientApplication>(`admin/projects/${server.projectId}/client`, { name: 'No browser' });
    let redirectUri = '';
    const main = createTestMain({
      openBrowser: async (url) => {
        redirectUri = new URL(url).searchParams.get('redirect_uri') as string;
        throw new Error('no default browser');
      },
    });
    const connection = await addConnection(main, { signIn: { method: 'authorization-code', clientId: application.id as string } });
    const started = Date.now();
    const result = await createDirectApi(main).signIn({ connectionId: connection.id, credentials: { method: 'authorization-code' } });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result).toMatchObject({ ok: false, error: { message: expect.stringContaining('could not open your web browser') } });
    // The loopback listener is gone at once, not five minutes later.
    await expect(fetch(redirectUri)).rejects.toThrow();
  });
});

describe('saved sign-ins stay with the server they were made for', () => {
  it('editing a connection to another server or sign-in forgets its saved secrets', async () => {
    const secrets = new MemorySecretStore();
    const main = createTestMain({ secrets });
    const api = createDirectApi(main);
    const connection = await addConnection(main, { signIn: { method: 'password' } });
    unwrapOk(await api.signIn({ connectionId: connection.id, credentials: { method: 'password', email: server.admin.email, password: server.admin.password } }));
    // Renaming keeps the sign-in.
    unwrapOk(await api.saveConnection({ connection: { ...connection, name: 'Renamed' } }));
    expect(await secrets.get(connection.id, 'refresh-token')).not.toBeNull();
    // Pointing it at another server drops it, so the next start never sends it there.
    unwrapOk(await api.saveConnection({ connection: { ...connection, baseUrl: 'https://other-medplum.example/' } }));
    expect(await secrets.get(connection.id, 'refresh-token')).toBeNull();
    expect(main.sessions.current()).toBeNull();
  });

  it('a server that cannot be reached at start keeps the saved sign-in for later', async () => {
    const secrets = new MemorySecretStore();
    const main = createTestMain({ secrets });
    const connection = await addConnection(main, { baseUrl: 'http://127.0.0.1:9/', signIn: { method: 'password' } });
    await main.connections.setActive(connection.id);
    const saved = sealSecret(credentialIdentity(connection), 'still-good-token');
    await secrets.set(connection.id, 'refresh-token', saved);
    expect(unwrapOk(await createDirectApi(main).getSession())).toBeNull();
    expect(await secrets.get(connection.id, 'refresh-token')).toBe(saved);
    expect(main.sessionEvents).toEqual([{ state: 'expired', connectionId: connection.id, reason: expect.stringContaining('Your saved sign-in is kept'), signInKept: true }]);
  });
});
