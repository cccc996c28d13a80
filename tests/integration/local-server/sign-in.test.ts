import type { ClientApplication, ProjectMembership } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LocalServer } from '../../support/local-server';
import {
  createClinic,
  createClinician,
  newClient,
  preparePkce,
  signIn,
  signInAsAdmin,
  startTestServer,
} from '../../support/local-server';

interface LoginAnswer {
  code?: string;
  issue: { details: { text: string } }[];
}

async function postJson(server: LocalServer, path: string, body: unknown): Promise<{ status: number; json: LoginAnswer }> {
  const response = await fetch(server.baseUrl + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as LoginAnswer };
}

describe('sign-in like Medplum', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  test('the admin signs in with a code and the client learns profile, project and membership from auth/me', async () => {
    const admin = await signInAsAdmin(server);
    expect(admin.getProfile()?.resourceType).toBe('Practitioner');
    expect(admin.getProject()?.id).toBe(server.projectId);
    expect(admin.getProjectMembership()?.admin).toBe(true);
    expect(admin.isProjectAdmin()).toBe(true);
    // The token works for FHIR calls.
    const projects = await admin.searchResources('Project');
    expect(projects.map((p) => p.id)).toContain(server.projectId);
  });

  test('a wrong password and an unknown email are refused with 400', async () => {
    const wrong = await postJson(server, 'auth/login', { email: server.admin.email, password: 'not-it' });
    expect(wrong.status).toBe(400);
    expect(wrong.json.issue[0]?.details.text).toBe('Email or password is invalid');
    const unknown = await postJson(server, 'auth/login', { email: 'nobody@example.test', password: 'x' });
    expect(unknown.status).toBe(400);
  });

  test('a project-scoped user must give the projectId: without it, 400 "User not found"', async () => {
    const admin = await signInAsAdmin(server);
    const clinician = await createClinician(server, admin, [await createClinic(admin)]);
    const withoutProject = await postJson(server, 'auth/login', { email: clinician.email, password: clinician.password });
    expect(withoutProject.status).toBe(400);
    expect(withoutProject.json.issue[0]?.details.text).toBe('User not found');
    const withProject = await postJson(server, 'auth/login', {
      email: clinician.email,
      password: clinician.password,
      projectId: server.projectId,
    });
    expect(withProject.status).toBe(200);
    expect(typeof withProject.json.code).toBe('string');
  });

  test('the PKCE verifier is checked at oauth2/token', async () => {
    const client = newClient(server);
    const pkce = preparePkce(client);
    const login = await client.startLogin({ email: server.admin.email, password: server.admin.password, ...pkce });
    const response = await fetch(server.baseUrl + 'oauth2/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: login.code as string, code_verifier: 'wrong' }),
    });
    expect(response.status).toBe(400);
    // Medplum's answer: invalid_request, "Invalid code verifier".
    expect(await response.json()).toMatchObject({ error: 'invalid_request', error_description: 'Invalid code verifier' });
    // The right verifier (kept by the client) still completes the same login.
    await client.processCode(login.code as string);
    expect(client.getProfile()?.resourceType).toBe('Practitioner');
  });

  test('forceNewMembership makes a second membership and sign-in then asks which', async () => {
    const admin = await signInAsAdmin(server);
    const clinicA = await createClinic(admin, 'Fork A');
    const clinicB = await createClinic(admin, 'Fork B');
    const first = await createClinician(server, admin, [clinicA]);
    const second = (await admin.invite(server.projectId, {
      resourceType: 'Practitioner',
      firstName: 'Test',
      lastName: 'Fork',
      email: first.email,
      sendEmail: false,
      scope: 'project',
      forceNewMembership: true,
      membership: {
        profile: first.practitioner,
        identifier: [{ system: 'https://medplum.com/identifier/label', value: 'Fork B' }],
        access: [{ policy: first.membership.accessPolicy!, parameter: [{ name: 'organization', valueReference: { reference: `Organization/${clinicB.id}` } }] }],
        accessPolicy: first.membership.accessPolicy,
      },
    })) as ProjectMembership;
    expect(second.id).not.toBe(first.membership.id);

    const memberships = await admin.searchResources('ProjectMembership', { profile: first.practitioner.reference as string });
    expect(memberships.map((m) => m.id).sort()).toEqual([first.membership.id, second.id].sort());

    const client = newClient(server);
    const login = await client.startLogin({ email: first.email, password: first.password, projectId: server.projectId, ...preparePkce(client) });
    expect(login.code).toBeUndefined();
    expect(login.memberships?.map((m) => m.id).sort()).toEqual([first.membership.id, second.id].sort());

    const chosen = await client.post('auth/profile', { login: login.login, profile: second.id });
    await client.processCode(chosen.code);
    expect(client.getProjectMembership()?.id).toBe(second.id);
  });

  test('access tokens expire and MedplumClient refreshes them', async () => {
    const shortLived = await startTestServer({ accessTokenLifetimeSeconds: 2 });
    try {
      await expectExpiryAndRefresh(shortLived);
    } finally {
      await shortLived.stop();
    }
  });

  async function expectExpiryAndRefresh(server: LocalServer): Promise<void> {
    const admin = await signIn(server, server.admin.email, server.admin.password, undefined, { refreshGracePeriod: 0 });
    const firstToken = admin.getAccessToken() as string;
    await new Promise((resolve) => setTimeout(resolve, 2100));

    const stale = await fetch(server.baseUrl + 'fhir/R4/Project', { headers: { Authorization: `Bearer ${firstToken}` } });
    expect(stale.status).toBe(401);

    const projects = await admin.searchResources('Project');
    expect(projects.length).toBeGreaterThan(0);
    const refreshedToken = admin.getAccessToken() as string;
    expect(refreshedToken).not.toBe(firstToken);
    const fresh = await fetch(server.baseUrl + 'fhir/R4/Project', { headers: { Authorization: `Bearer ${refreshedToken}` } });
    expect(fresh.status).toBe(200);
  }

  test('client credentials for a ClientApplication', async () => {
    const admin = await signInAsAdmin(server);
    const app = (await admin.post(`admin/projects/${server.projectId}/client`, { name: 'Importer' })) as ClientApplication;
    const client = newClient(server);
    await client.startClientLogin(app.id as string, app.secret as string);
    expect(client.getProfile()?.resourceType).toBe('ClientApplication');
    expect(client.getProjectMembership()?.user?.reference).toBe(`ClientApplication/${app.id}`);

    const bad = await fetch(server.baseUrl + 'oauth2/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: app.id as string, client_secret: 'nope' }),
    });
    expect(bad.status).toBe(400);
  });
});
