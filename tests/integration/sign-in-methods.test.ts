/**
 * Each way the console signs in, through the same IPC handlers the window uses, against the test
 * backend (the local server, or a real Medplum on the real tier): email and password (a project
 * admin, and a clinician who must choose one of two memberships) and an admin ClientApplication's
 * credentials. The browser's authorization code is in tests/real/browser-sign-in.test.ts (the
 * local server has no authorize endpoint to go through).
 */
import type { ClientApplication, ProjectMembership } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection, SignInResult } from '../../preload/api/schemas/connection';
import { createClinician } from '../../main/engines/clinicians';
import type { TestBackend } from '../support/backend';
import { startTestBackend } from '../support/backend';
import { engineContext } from '../support/engine';
import { unwrapOk } from '../support/envelope';
import { type TestMain, createDirectApi, createTestMain } from '../support/ipc';
import { createClinic, signInAsAdmin } from '../support/local-server';

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

describe('email and password', () => {
  it('signs the project admin in as a project administrator; a wrong password is refused', async () => {
    const main = createTestMain();
    const api = createDirectApi(main);
    const connection = await addConnection(main, { method: 'password', email: backend.admin.email });
    const wrong = await api.signIn({ connectionId: connection.id, credentials: { method: 'password', email: backend.admin.email, password: 'not-the-password' } });
    expect(wrong.ok).toBe(false);
    const session = signedIn(unwrapOk(await api.signIn({ connectionId: connection.id, credentials: { method: 'password', ...backend.admin } })));
    expect(session).toMatchObject({ projectId: backend.projectId, isProjectAdmin: true, method: 'password' });
    expect(session.profileReference).toMatch(/^Practitioner\//);
  });

  it('asks a clinician with two memberships which one, then signs in to the chosen one only', async () => {
    const admin = await signInAsAdmin(backend);
    const ctx = engineContext(backend, admin, { isolation: 'strict' });
    const north = await createClinic(admin, 'Sign-in North');
    const south = await createClinic(admin, 'Sign-in South');
    const email = `two.memberships.${Date.now()}@example.test`;
    const password = `pw-${Math.random().toString(36).slice(2)}-x`;
    const { memberships } = await createClinician(ctx, { firstName: 'Two', lastName: 'Places', email, clinicIds: [north.id, south.id], password });
    expect(memberships).toHaveLength(2);

    const main = createTestMain();
    const api = createDirectApi(main);
    const connection = await addConnection(main, { method: 'password', email });
    const result = unwrapOk(await api.signIn({ connectionId: connection.id, credentials: { method: 'password', email, password } }));
    expect(result.status).toBe('choose-membership');
    if (result.status !== 'choose-membership') return;
    expect(result.memberships.map((m) => m.id).sort()).toEqual(memberships.map((m) => m.id).sort());
    const chosen = memberships[1] as ProjectMembership & { id: string };
    const session = unwrapOk(await api.chooseMembership({ pendingId: result.pendingId, membershipId: chosen.id }));
    expect(session).toMatchObject({ projectId: backend.projectId, isProjectAdmin: false });
    expect(main.sessions.client().getProjectMembership()?.id).toBe(chosen.id);
    // Not an administrator: a change is refused and nothing is written.
    expect(await api.createClinic({ name: 'Not allowed' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const names = (await admin.searchResources('Organization', { _count: '100' }, { cache: 'no-cache' } as RequestInit)).map((o) => o.name);
    expect(names).not.toContain('Not allowed');
  });
});

describe('client credentials', () => {
  it('signs an admin ClientApplication in with its secret, and its changes reach the server', async () => {
    const admin = await signInAsAdmin(backend);
    const application = await admin.post<ClientApplication & { secret: string }>(`admin/projects/${backend.projectId}/client`, {
      name: 'IT automation',
      description: 'roster import',
    });
    // Medplum makes the client's membership without admin; a project admin grants it, as on any server.
    const [membership] = await admin.searchResources('ProjectMembership', { profile: `ClientApplication/${application.id}` }, { cache: 'no-cache' } as RequestInit);
    expect(membership).toBeDefined();
    await admin.post(`admin/projects/${backend.projectId}/members/${membership?.id}`, { ...membership, admin: true });

    const main = createTestMain();
    const api = createDirectApi(main);
    const connection = await addConnection(main, { method: 'client-credentials', clientId: application.id as string });
    const session = signedIn(unwrapOk(await api.signIn({ connectionId: connection.id, credentials: { method: 'client-credentials', clientSecret: application.secret } })));
    expect(session).toMatchObject({ projectId: backend.projectId, profileReference: `ClientApplication/${application.id}`, isProjectAdmin: true });
    const clinic = unwrapOk(await api.createClinic({ name: 'Made by automation' })).value;
    expect((await admin.readResource('Organization', clinic.id, { cache: 'no-cache' } as RequestInit)).name).toBe('Made by automation');
    const wrong = await createDirectApi(createTestMain()).signIn({
      connectionId: (await addConnection(createTestMain(), { method: 'client-credentials', clientId: application.id as string })).id,
      credentials: { method: 'client-credentials', clientSecret: 'wrong-secret' },
    });
    expect(wrong.ok).toBe(false);
  });
});
