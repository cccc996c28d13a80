/**
 * A member whose membership names no AccessPolicy (what `admin/projects/:id/client` makes unless
 * told otherwise) sees the whole project as on Medplum, but never the project-admin types:
 * Project, ProjectMembership, User, UserSecurityRequest (measured on a real 5.0.10: 403 for each).
 */
import type { ClientApplication, Patient, ProjectMembership, User } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LocalServer } from '../../support/local-server';
import { signInAsAdmin, startTestServer } from '../../support/local-server';

interface Answer {
  status: number;
  json: { resourceType?: string; entry?: unknown[]; total?: number; admin?: boolean };
}

describe('a member with no access policy', () => {
  let server: LocalServer;
  let token: string;
  let ownMembership: ProjectMembership;
  let patient: Patient;

  async function call(method: string, path: string, body?: unknown, contentType = 'application/fhir+json'): Promise<Answer> {
    const response = await fetch(server.baseUrl + path, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as Answer['json'] };
  }

  beforeAll(async () => {
    server = await startTestServer();
    const admin = await signInAsAdmin(server);
    patient = await admin.createResource<Patient>({ resourceType: 'Patient', name: [{ family: 'Visible' }] });
    const app = await admin.post<ClientApplication & { secret: string }>(`admin/projects/${server.projectId}/client`, { name: 'Integration' });
    const answer = await fetch(`${server.baseUrl}oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: app.id as string, client_secret: app.secret }),
    });
    token = ((await answer.json()) as { access_token: string }).access_token;
    const memberships = await server.store.searchResources<ProjectMembership>({ resourceType: 'ProjectMembership' });
    ownMembership = memberships.find((m) => m.user?.reference === `ClientApplication/${app.id}`) as ProjectMembership;
    expect(ownMembership.accessPolicy).toBeUndefined();
  });
  afterAll(async () => {
    await server.stop();
  });

  test('reads and writes the project’s clinical data', async () => {
    const read = await call('GET', `fhir/R4/Patient/${patient.id}`);
    expect(read.status).toBe(200);
    const created = await call('POST', 'fhir/R4/Observation', {
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'x' },
      subject: { reference: `Patient/${patient.id}` },
    });
    expect(created.status).toBe(201);
  });

  test('cannot list or read Users, memberships or the Project', async () => {
    for (const path of ['fhir/R4/User', 'fhir/R4/ProjectMembership', `fhir/R4/ProjectMembership/${ownMembership.id}`, `fhir/R4/Project/${server.projectId}`, 'fhir/R4/UserSecurityRequest']) {
      const answer = await call('GET', path);
      expect(answer.status, path).toBe(403);
      expect(answer.json.resourceType, path).toBe('OperationOutcome');
    }
    const users = await server.store.searchResources<User>({ resourceType: 'User' });
    expect(users.length).toBeGreaterThan(0);
  });

  test('cannot make itself a project admin', async () => {
    const put = await call('PUT', `fhir/R4/ProjectMembership/${ownMembership.id}`, { ...ownMembership, admin: true });
    expect(put.status).toBe(403);
    const patch = await call('PATCH', `fhir/R4/ProjectMembership/${ownMembership.id}`, [{ op: 'add', path: '/admin', value: true }], 'application/json-patch+json');
    expect(patch.status).toBe(403);
    const batch = await call('POST', 'fhir/R4', {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [{ request: { method: 'PUT', url: `ProjectMembership/${ownMembership.id}` }, resource: { ...ownMembership, admin: true } }],
    });
    expect(batch.status).toBe(200);
    const stored = await server.store.readResource<ProjectMembership>('ProjectMembership', ownMembership.id as string);
    expect(stored.admin).toBeUndefined();
    expect(stored.meta?.versionId).toBe(ownMembership.meta?.versionId);
    // And the admin API still says no.
    expect((await call('GET', `admin/projects/${server.projectId}`)).status).toBe(403);
  });

  test('a search across types does not reach the admin types either', async () => {
    const answer = await call('GET', 'fhir/R4/Patient?_type=User,ProjectMembership');
    expect(answer.status).toBe(403);
  });
});
