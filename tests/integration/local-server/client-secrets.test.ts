/**
 * ClientApplication secrets: shown once (the admin API's answer), kept only as a hash, never
 * written to the data file, and a data file from before (plaintext secrets) still loads.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientApplication, ProjectMembership, Resource } from '@medplum/fhirtypes';
import { afterAll, describe, expect, test } from 'vitest';
import type { LocalServer } from '../../support/local-server';
import { signInAsAdmin, startTestServer } from '../../support/local-server';

async function clientCredentials(server: LocalServer, clientId: string, secret: string): Promise<{ status: number; token?: string }> {
  const response = await fetch(`${server.baseUrl}oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }),
  });
  const body = (await response.json()) as { access_token?: string };
  return { status: response.status, token: body.access_token };
}

async function readAs(server: LocalServer, token: string, path: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.baseUrl}fhir/R4/${path}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(response.status, path).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe('client secrets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mso-client-secrets-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the admin API shows the secret once; no FHIR read and no data file holds it; it works after a restart', async () => {
    const data = join(dir, 'sandbox.json');
    const first = await startTestServer({ data });
    const admin = await signInAsAdmin(first);
    const created = await admin.post<ClientApplication & { secret: string }>(`admin/projects/${first.projectId}/client`, { name: 'Importer' });
    const other = await admin.post<ClientApplication & { secret: string }>(`admin/projects/${first.projectId}/client`, { name: 'Other' });
    expect(created.secret.length).toBeGreaterThanOrEqual(32);

    // Neither the admin nor another client (no policy: it may read ClientApplication) gets the secret back.
    expect(await readAs(first, admin.getAccessToken() as string, `ClientApplication/${created.id}`)).not.toHaveProperty('secret');
    const otherToken = (await clientCredentials(first, other.id as string, other.secret)).token as string;
    const seenByOther = await readAs(first, otherToken, `ClientApplication/${created.id}`);
    expect(seenByOther.resourceType).toBe('ClientApplication');
    expect(seenByOther).not.toHaveProperty('secret');
    const listed = await readAs(first, otherToken, 'ClientApplication');
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    await first.stop();

    const saved = readFileSync(data, 'utf8');
    expect(saved).toContain('Importer');
    expect(saved).not.toContain(created.secret);
    expect(saved).not.toContain(other.secret);

    const second = await startTestServer({ data });
    try {
      expect((await clientCredentials(second, created.id as string, created.secret)).status).toBe(200);
      expect((await clientCredentials(second, created.id as string, `${created.secret}x`)).status).toBe(400);
      expect((await clientCredentials(second, created.id as string, other.secret)).status).toBe(400);
    } finally {
      await second.stop();
    }
  });

  test('a secret an admin writes over FHIR works but is not saved in plaintext', async () => {
    const data = join(dir, 'fhir-written.json');
    const first = await startTestServer({ data });
    const admin = await signInAsAdmin(first);
    const secret = 'fhir-written-secret-0123456789abcdef';
    const app = await admin.createResource<ClientApplication>({ resourceType: 'ClientApplication', name: 'Written', secret });
    await admin.createResource<ProjectMembership>({
      resourceType: 'ProjectMembership',
      project: { reference: `Project/${first.projectId}` },
      user: { reference: `ClientApplication/${app.id}` },
      profile: { reference: `ClientApplication/${app.id}` },
    });
    expect((await clientCredentials(first, app.id, secret)).status).toBe(200);
    await first.stop();
    expect(readFileSync(data, 'utf8')).not.toContain(secret);

    const second = await startTestServer({ data });
    try {
      expect((await clientCredentials(second, app.id, secret)).status).toBe(200);
    } finally {
      await second.stop();
    }
  });

  test('a data file from before, with plaintext secrets, loads: the secrets are hashed and the next save drops them', async () => {
    const data = join(dir, 'legacy.json');
    const first = await startTestServer({ data });
    const admin = await signInAsAdmin(first);
    const created = await admin.post<ClientApplication & { secret: string }>(`admin/projects/${first.projectId}/client`, { name: 'Legacy' });
    await first.stop();

    // What older versions wrote: the secret inside the ClientApplication.
    const legacySecret = 'legacy-plaintext-secret-0123456789';
    const file = JSON.parse(readFileSync(data, 'utf8')) as { resources: Resource[]; clientSecretHashes?: unknown };
    delete file.clientSecretHashes;
    file.resources = file.resources.map((r) => (r.resourceType === 'ClientApplication' && r.id === created.id ? { ...r, secret: legacySecret } : r));
    writeFileSync(data, JSON.stringify(file));

    const second = await startTestServer({ data });
    try {
      expect((await clientCredentials(second, created.id as string, legacySecret)).status).toBe(200);
      const secondAdmin = await signInAsAdmin(second);
      expect(await readAs(second, secondAdmin.getAccessToken() as string, `ClientApplication/${created.id}`)).not.toHaveProperty('secret');
    } finally {
      await second.stop();
    }
    expect(readFileSync(data, 'utf8')).not.toContain(legacySecret);
  });
});
