/**
 * The session's IPC calls raced against each other over the real dispatcher and real HTTP:
 * an edit in the middle of a sign-in, sign-out in the middle of a restore, restores at once,
 * a switch or sign-out in the middle of a bulk job. Nothing may reach another address, nothing
 * signed out may come back, and no saved sign-in may be lost.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Organization, Patient } from '@medplum/fhirtypes';
import type { WithId } from '@medplum/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../../preload/api/contract';
import type { Connection } from '../../../preload/api/schemas/connection';
import { MemorySecretStore } from '../../../main/secrets/memory-secret-store';
import { type TestBackend, backendKind, startTestBackend } from '../../support/backend';
import { unwrapOk } from '../../support/envelope';
import { createHeldFetch } from '../../support/held-fetch';
import { type TestMain, createDirectApi, createTestMain } from '../../support/ipc';
import { createClinic, createClinician, signInAsAdmin } from '../../support/local-server';

let backend: TestBackend;
/** Stands in for a server a hostile renderer would like secrets sent to: it records everything. */
let attacker: Server;
let attackerUrl: string;
const attackerSaw: string[] = [];

beforeAll(async () => {
  backend = await startTestBackend({ kind: backendKind() });
  attacker = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      attackerSaw.push(`${request.method} ${request.url} ${body}`);
      response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise((resolve) => attacker.close(resolve));
  await backend.stop();
});

const isTokenRequest = (url: string) => url.endsWith('/oauth2/token');

function passwordConnection(main: TestMain, name = 'Race test'): Promise<Connection> {
  return createDirectApi(main)
    .saveConnection({
      connection: {
        name,
        baseUrl: backend.baseUrl,
        projectId: backend.projectId,
        mrnSystem: backend.mrnSystem,
        isolationMode: 'shared-membership',
        signIn: { method: 'password' },
      },
    })
    .then(unwrapOk);
}

async function signInAdmin(main: TestMain, connection: Connection): Promise<void> {
  unwrapOk(
    await createDirectApi(main).signIn({
      connectionId: connection.id,
      credentials: { method: 'password', email: backend.admin.email, password: backend.admin.password },
    }),
  );
}

/** A main signed in once as the admin, its token saved: what a later "restart" restores from. */
async function signedInOnce(): Promise<{ secrets: MemorySecretStore; first: TestMain; connection: Connection }> {
  const secrets = new MemorySecretStore();
  const first = createTestMain({ secrets });
  const connection = await passwordConnection(first);
  await signInAdmin(first, connection);
  return { secrets, first, connection };
}

function sentTo(main: { sent: { url: string }[] }, baseUrl: string): string[] {
  return main.sent.map((request) => request.url).filter((url) => url.startsWith(baseUrl));
}

describe('a connection edited while it signs in', () => {
  it('cancels a sign-in waiting for the membership choice; nothing is saved or ever sent to the new address', async () => {
    const admin = await signInAsAdmin(backend);
    const [north, south] = [await createClinic(admin, 'Race North'), await createClinic(admin, 'Race South')];
    const clinician = await createClinician(backend, admin, [north]);
    await admin.invite(backend.projectId, {
      resourceType: 'Practitioner',
      firstName: 'Test',
      lastName: 'Second',
      email: clinician.email,
      sendEmail: false,
      scope: 'project',
      forceNewMembership: true,
      membership: {
        accessPolicy: { reference: `AccessPolicy/${backend.seed.msoPolicyId}` },
        access: [
          {
            policy: { reference: `AccessPolicy/${backend.seed.msoPolicyId}` },
            parameter: [{ name: 'organization', valueReference: { reference: `Organization/${south.id}` } }],
          },
        ],
      },
    } as never);

    const held = createHeldFetch();
    const secrets = new MemorySecretStore();
    const main = createTestMain({ secrets, fetch: held.fetch });
    const api = createDirectApi(main);
    const connection = await passwordConnection(main);
    const started = unwrapOk(
      await api.signIn({ connectionId: connection.id, credentials: { method: 'password', email: clinician.email, password: clinician.password } }),
    );
    expect(started.status).toBe('choose-membership');
    if (started.status !== 'choose-membership') return;

    unwrapOk(await api.saveConnection({ connection: { ...connection, baseUrl: attackerUrl } }));
    const chosen = await api.chooseMembership({ pendingId: started.pendingId, membershipId: clinician.membership.id });
    expect(chosen).toMatchObject({ ok: false, error: { code: expect.stringMatching(/cancelled|not_signed_in/) } });
    expect(await secrets.get(connection.id, 'refresh-token')).toBeNull();
    expect(main.sessions.current()).toBeNull();

    // The next start tries to restore: there is nothing to send, and nothing goes to the new address.
    await main.connections.setActive(connection.id);
    expect(unwrapOk(await createDirectApi(createTestMain({ secrets, userDataDir: main.userDataDir, fetch: held.fetch })).getSession())).toBeNull();
    expect(sentTo(held, attackerUrl)).toEqual([]);
    expect(attackerSaw).toEqual([]);
  });

  it('cancels a plain sign-in a few ms in: the token it was issued is never saved', async () => {
    const held = createHeldFetch();
    const secrets = new MemorySecretStore();
    const main = createTestMain({ secrets, fetch: held.fetch });
    const api = createDirectApi(main);
    const connection = await passwordConnection(main);
    const tokenRequest = held.hold(isTokenRequest);
    const signingIn = api.signIn({
      connectionId: connection.id,
      credentials: { method: 'password', email: backend.admin.email, password: backend.admin.password },
    });
    await tokenRequest.reached;
    unwrapOk(await api.saveConnection({ connection: { ...connection, baseUrl: attackerUrl } }));
    tokenRequest.release();
    expect(await signingIn).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(await secrets.get(connection.id, 'refresh-token')).toBeNull();
    expect(main.sessions.current()).toBeNull();
    expect(main.sessionEvents.filter((event) => event.state === 'signed-in')).toEqual([]);
    expect(attackerSaw).toEqual([]);
  });

  it('cancels a browser sign-in when its connection is removed, and closes the listener at once', async () => {
    const admin = await signInAsAdmin(backend);
    const application = await admin.post<{ id: string }>(`admin/projects/${backend.projectId}/client`, { name: 'Race browser sign-in' });
    let redirectUri = '';
    let opened = () => undefined as void;
    const browserOpened = new Promise<void>((resolve) => (opened = resolve));
    const main = createTestMain({
      openBrowser: async (url) => {
        redirectUri = new URL(url).searchParams.get('redirect_uri') as string;
        opened();
      },
    });
    const api = createDirectApi(main);
    const connection = unwrapOk(
      await api.saveConnection({
        connection: {
          name: 'Browser race',
          baseUrl: backend.baseUrl,
          projectId: backend.projectId,
          mrnSystem: backend.mrnSystem,
          isolationMode: 'shared-membership',
          signIn: { method: 'authorization-code', clientId: application.id },
        },
      }),
    );
    const signingIn = api.signIn({ connectionId: connection.id, credentials: { method: 'authorization-code' } });
    await browserOpened;
    unwrapOk(await api.removeConnection({ connectionId: connection.id }));
    expect(await signingIn).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    await expect(fetch(redirectUri)).rejects.toThrow();
  });

  it('never sends a saved sign-in to an address it was not issued for, whatever changed the connection', async () => {
    const { secrets, first, connection } = await signedInOnce();
    const saved = await secrets.get(connection.id, 'refresh-token');
    expect(saved).toEqual(expect.any(String));
    // Written straight to the settings, past the handler that would have forgotten the secret.
    await first.connections.upsert({ ...connection, baseUrl: attackerUrl });

    const held = createHeldFetch();
    const restarted = createTestMain({ secrets, userDataDir: first.userDataDir, fetch: held.fetch });
    expect(unwrapOk(await createDirectApi(restarted).getSession())).toBeNull();
    expect(held.sent).toEqual([]);
    expect(attackerSaw).toEqual([]);
    expect(await secrets.get(connection.id, 'refresh-token')).toBeNull();
    expect(restarted.sessionEvents).toEqual([
      { state: 'expired', connectionId: connection.id, reason: expect.stringContaining('made for another server') },
    ]);
  });
});

describe('restore against sign-out and against itself', () => {
  it('sign-out during a restore wins: no session, no saved token, no late "signed in"', async () => {
    const { secrets, first, connection } = await signedInOnce();

    const held = createHeldFetch();
    const restarted = createTestMain({ secrets, userDataDir: first.userDataDir, fetch: held.fetch });
    const api = createDirectApi(restarted);
    const tokenRequest = held.hold(isTokenRequest);
    const restoring = api.getSession();
    await tokenRequest.reached;
    unwrapOk(await api.signOut());
    tokenRequest.release();
    expect(unwrapOk(await restoring)).toBeNull();
    expect(restarted.sessions.current()).toBeNull();
    expect(await secrets.get(connection.id, 'refresh-token')).toBeNull();
    expect(restarted.sessionEvents.map((event) => event.state)).toEqual(['signed-out']);
    // And the next start asks for a sign-in.
    expect(unwrapOk(await createDirectApi(createTestMain({ secrets, userDataDir: first.userDataDir })).getSession())).toBeNull();
  });

  it('restores at once (two windows, a reload) share one refresh and keep the saved sign-in', async () => {
    const { secrets, first, connection } = await signedInOnce();

    const held = createHeldFetch();
    const restarted = createTestMain({ secrets, userDataDir: first.userDataDir, fetch: held.fetch });
    const api = createDirectApi(restarted);
    const sessions = await Promise.all([api.getSession(), api.getSession(), api.getSession()]);
    const profiles = sessions.map((envelope) => unwrapOk(envelope)?.profileReference);
    expect(new Set(profiles).size).toBe(1);
    expect(profiles[0]).toMatch(/^Practitioner\//);
    expect(held.sent.filter((request) => isTokenRequest(request.url))).toHaveLength(1);
    expect(restarted.sessionEvents.map((event) => event.state)).toEqual(['signed-in']);
    // The token saved by the shared restore still works after another restart.
    const again = createTestMain({ secrets, userDataDir: first.userDataDir });
    expect(unwrapOk(await createDirectApi(again).getSession())?.profileReference).toBe(profiles[0]);
    expect(connection.id).toBe(restarted.sessions.current()?.connectionId);
  });
});

describe('a bulk job belongs to the session that started it', () => {
  async function patientsInClinic(clinicId: string): Promise<number> {
    const admin = await signInAsAdmin(backend);
    const bundle = await admin.search('Patient', { _compartment: `Organization/${clinicId}`, _summary: 'count' }, { cache: 'no-cache' } as RequestInit);
    return bundle.total ?? 0;
  }

  async function setUp(name: string): Promise<{ clinic: WithId<Organization>; ids: string[] }> {
    const admin = await signInAsAdmin(backend);
    const clinic = await createClinic(admin, name);
    const ids: string[] = [];
    for (let index = 0; index < 25; index++) {
      const patient = await admin.createResource<Patient>({ resourceType: 'Patient', name: [{ given: ['Job'], family: `${name} ${index}` }] });
      ids.push(patient.id);
    }
    return { clinic, ids };
  }

  async function finalOf(main: TestMain, jobId: string): Promise<JobProgress> {
    for (let waited = 0; waited < 30_000; waited += 25) {
      const last = main.progress.filter((event) => event.jobId === jobId).at(-1);
      if (last && last.state !== 'running') return last;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('the job did not finish');
  }

  async function startSlowJob(name: string) {
    const { clinic, ids } = await setUp(name);
    const held = createHeldFetch();
    const main = createTestMain({ fetch: held.fetch });
    const api = createDirectApi(main);
    const connection = await passwordConnection(main, name);
    await signInAdmin(main, connection);
    // Slow enough that the job is mid-way when the session ends.
    held.slowDown((url) => url.includes('/fhir/R4/'), 40);
    const { jobId } = unwrapOk(await api.enrollInClinic({ clinicId: clinic.id, kind: 'patients', ids }));
    for (let waited = 0; waited < 20_000 && (main.progress.filter((event) => event.jobId === jobId).at(-1)?.done ?? 0) < 2; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return { main, api, clinic, ids, jobId };
  }

  async function expectStoppedWritingTo(clinicId: string, total: number, final: JobProgress): Promise<void> {
    expect(final.state).toBe('cancelled');
    expect(final.done).toBeLessThan(total);
    const settled = await patientsInClinic(clinicId);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // Nothing more is written to the old connection's project once the session has ended.
    expect(await patientsInClinic(clinicId)).toBe(settled);
    expect(settled).toBeLessThan(total);
  }

  it('is cancelled on sign-out, and its client writes nothing more', async () => {
    const { main, api, clinic, ids, jobId } = await startSlowJob('Job Sign-out Clinic');
    unwrapOk(await api.signOut());
    await expectStoppedWritingTo(clinic.id, ids.length, await finalOf(main, jobId));
  });

  it('is cancelled when the window switches to another connection', async () => {
    const { main, api, clinic, ids, jobId } = await startSlowJob('Job Switch Clinic');
    const other = await passwordConnection(main, 'Another connection');
    unwrapOk(
      await api.signIn({ connectionId: other.id, credentials: { method: 'password', email: backend.admin.email, password: backend.admin.password } }),
    );
    await expectStoppedWritingTo(clinic.id, ids.length, await finalOf(main, jobId));
    expect(main.sessions.current()?.connectionId).toBe(other.id);
  });

  it('is cancelled when the session expires (token revoked on the server)', async () => {
    const { main, clinic, ids, jobId } = await startSlowJob('Job Expiry Clinic');
    // Another program signs this very session out at the server: the next request is refused.
    const token = main.sessions.client().getAccessToken() as string;
    await fetch(new URL('oauth2/logout', backend.baseUrl), { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    await expectStoppedWritingTo(clinic.id, ids.length, await finalOf(main, jobId));
    expect(main.sessionEvents.at(-1)).toMatchObject({ state: 'expired' });
  });
});

describe('Test connection', () => {
  it('does not follow a redirect, and says the server redirects', async () => {
    const hits: string[] = [];
    const target = createServer((request, response) => {
      hits.push(request.url ?? '');
      response.writeHead(200, { 'Content-Type': 'application/fhir+json' }).end(JSON.stringify({ resourceType: 'CapabilityStatement' }));
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/`;
    const redirector = createServer((_request, response) => response.writeHead(302, { Location: `${targetUrl}fhir/R4/metadata` }).end());
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    try {
      const main = createTestMain();
      const result = unwrapOk(await createDirectApi(main).testConnection({ baseUrl: `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/` }));
      expect(result).toEqual({ reachable: false, message: expect.stringContaining('redirect') });
      expect(hits).toEqual([]);
      // The same server asked directly is fine.
      expect(unwrapOk(await createDirectApi(main).testConnection({ baseUrl: targetUrl })).reachable).toBe(true);
    } finally {
      await new Promise((resolve) => redirector.close(resolve));
      await new Promise((resolve) => target.close(resolve));
    }
  });
});

describe('found by a review raced as an attacker would', () => {
  it('a restore never overtakes a sign-in in flight: one session, and sign-out revokes every client', async () => {
    const { secrets, first, connection } = await signedInOnce();
    const held = createHeldFetch();
    const main = createTestMain({ secrets, userDataDir: first.userDataDir, fetch: held.fetch });
    const api = createDirectApi(main);
    const login = held.hold((url) => url.endsWith('/auth/login'));
    const signingIn = api.signIn({ connectionId: connection.id, credentials: { method: 'password', email: backend.admin.email, password: backend.admin.password } });
    await login.reached;
    // A reload (or a second window) asks for the session while the sign-in waits.
    expect(unwrapOk(await api.getSession())).toBeNull();
    login.release();
    unwrapOk(await signingIn);
    expect(main.sessionEvents.filter((event) => event.state === 'signed-in')).toHaveLength(1);
    const client = main.sessions.client();
    unwrapOk(await api.signOut());
    await expect(client.createResource({ resourceType: 'Organization', name: 'After sign-out' })).rejects.toThrow();
  });

  it('a sign-in started while sign-out waits for the server stays signed in, and the sign-out said so first', async () => {
    const held = createHeldFetch();
    const secrets = new MemorySecretStore();
    const main = createTestMain({ secrets, fetch: held.fetch });
    const api = createDirectApi(main);
    const connection = await passwordConnection(main);
    await signInAdmin(main, connection);
    const logout = held.hold((url) => url.endsWith('/oauth2/logout'));
    const signingOut = api.signOut();
    await logout.reached;
    await signInAdmin(main, connection);
    logout.release();
    unwrapOk(await signingOut);
    expect(main.sessions.current()?.connectionId).toBe(connection.id);
    expect(await secrets.get(connection.id, 'refresh-token')).toEqual(expect.any(String));
    expect((await main.connections.list()).activeConnectionId).toBe(connection.id);
    expect(main.sessionEvents.map((event) => event.state)).toEqual(['signed-in', 'signed-out', 'signed-in']);
  });

  it('a sign-out just after the window asks for its session (settings still being read) wins', async () => {
    const { secrets, first, connection } = await signedInOnce();
    const main = createTestMain({ secrets, userDataDir: first.userDataDir });
    const api = createDirectApi(main);
    const restoring = api.getSession();
    unwrapOk(await api.signOut());
    expect(unwrapOk(await restoring)).toBeNull();
    expect(main.sessions.current()).toBeNull();
    expect(await secrets.get(connection.id, 'refresh-token')).toBeNull();
    expect(main.sessionEvents.map((event) => event.state)).toEqual(['signed-out']);
  });
});
