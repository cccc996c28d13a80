/**
 * The read proxy that serves @medplum/react in the window, over the real dispatcher and real
 * HTTP: what the screens send passes; anything that could reach other types (users, memberships,
 * client applications) through a readable type's URL is refused before it leaves main.
 */
import type { ClientApplication, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MsoApi } from '../../../preload/api/create-api';
import { unwrapOk } from '../../support/envelope';
import { createDirectApi, createTestMain } from '../../support/ipc';
import type { LocalServer } from '../../support/local-server';
import { signInAsAdmin, startTestServer } from '../../support/local-server';

let server: LocalServer;
let api: MsoApi;
let patients: Patient[];

beforeAll(async () => {
  server = await startTestServer();
  const admin = await signInAsAdmin(server);
  patients = [];
  for (const [family, birthDate] of [['Proxyson', '1970-01-01'], ['Proxyson', '1980-01-01'], ['Proxyson', '1990-01-01']] as const) {
    patients.push(await admin.createResource<Patient>({ resourceType: 'Patient', name: [{ family, given: ['Pat'] }], birthDate }));
  }
  for (const name of ['One', 'Two']) {
    await admin.post<ClientApplication>(`admin/projects/${server.projectId}/client`, { name });
  }
  const main = createTestMain();
  api = createDirectApi(main);
  const connection = unwrapOk(
    await api.saveConnection({ connection: { name: 'Proxy', baseUrl: server.baseUrl, mrnSystem: 'https://example.test/mrn', isolationMode: 'shared-membership', signIn: { method: 'password' } } }),
  );
  unwrapOk(await api.signIn({ connectionId: connection.id, credentials: { method: 'password', email: server.admin.email, password: server.admin.password } }));
});
afterAll(async () => {
  await server.stop();
});

async function read(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const value = unwrapOk(await api.medplumRead({ url: `${server.baseUrl}fhir/R4/${path}` }));
  return { status: value.status, body: JSON.parse(value.body) as Record<string, unknown> };
}

describe('what the screens send through the read proxy', () => {
  it('reads a patient by id (ResourceBadge) and searches with the allowed parameters, paging by the server’s own links', async () => {
    const one = await read(`Patient/${patients[0]?.id}`);
    expect(one.body).toMatchObject({ resourceType: 'Patient', id: patients[0]?.id });

    const page = await read('Patient?family=Proxyson&_sort=-birthdate&_count=2&_total=accurate');
    expect(page.body.total).toBe(3);
    const entries = page.body.entry as { resource: Patient }[];
    expect(entries.map((e) => e.resource.birthDate)).toEqual(['1990-01-01', '1980-01-01']);
    const next = (page.body.link as { relation: string; url: string }[]).find((l) => l.relation === 'next');
    expect(next).toBeDefined();
    const second = unwrapOk(await api.medplumRead({ url: next?.url as string }));
    expect((JSON.parse(second.body) as { entry: { resource: Patient }[] }).entry.map((e) => e.resource.birthDate)).toEqual(['1970-01-01']);
  });
});

describe('what the read proxy refuses', () => {
  it('refuses _type, _has, chains, _filter and unknown parameters that could count or find other types', async () => {
    for (const path of [
      'Patient?_type=ClientApplication&_total=accurate',
      'Patient?_type=User,ProjectMembership&_summary=count',
      `Patient?_has:ProjectMembership:profile:_id=${patients[0]?.id}`,
      'Patient?general-practitioner.name=x',
      'Patient?general-practitioner:Practitioner.name=x',
      'Observation?subject:Patient.name=Proxyson',
      'Patient?_filter=name eq "x"',
      'Patient?_compartment=Project/abc',
      'Observation?subject=ClientApplication/abc',
      'Patient?_sort=general-practitioner.name',
      'Patient?unknown-parameter=1',
      'Patient?_count=many',
    ]) {
      const answer = await api.medplumRead({ url: `${server.baseUrl}fhir/R4/${path}` });
      expect(answer, path).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    }
  });
});
