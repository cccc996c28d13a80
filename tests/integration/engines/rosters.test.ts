import type { WithId } from '@medplum/core';
import { MedplumClient } from '@medplum/core';
import type { Bundle, Organization, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createClinician } from '../../../main/engines/clinicians';
import { allClinicClinicians, allClinicPatients, listClinicPatients, providerDirectory } from '../../../main/engines/rosters';
import { MRN_SYSTEM } from '../../../main/local-server/seed';
import type { TestBackend } from '../../support/backend';
import { startTestBackend } from '../../support/backend';
import { createClinic, signInAsAdmin } from '../../support/local-server';
import { engineContext } from '../../support/engine';

const FAMILIES = ['Adams', 'Baker', 'Clark', 'Davis', 'Evans'];

/** Patients made in one batch bundle: `Adams0`..; MRN `R-<clinic>-<i>`. */
async function seedPatients(admin: MedplumClient, clinic: WithId<Organization>, count: number, tag: string): Promise<void> {
  const accounts = [{ reference: `Organization/${clinic.id}` }];
  const bundle: Bundle = {
    resourceType: 'Bundle',
    type: 'batch',
    entry: Array.from({ length: count }, (_, i) => ({
      request: { method: 'POST', url: 'Patient' },
      resource: {
        resourceType: 'Patient',
        meta: { accounts, account: accounts[0] },
        name: [{ given: ['Test'], family: `${FAMILIES[i % FAMILIES.length]}${i}` }],
        identifier: [{ system: MRN_SYSTEM, value: `R-${tag}-${i}` }],
      } as Patient,
    })),
  };
  const result = await admin.executeBatch(bundle);
  expect(result.entry?.every((e) => e.response?.status?.startsWith('201'))).toBe(true);
}

function countingClient(server: TestBackend, token: string): { client: MedplumClient; requests: string[] } {
  const requests: string[] = [];
  const client = new MedplumClient({
    baseUrl: server.baseUrl,
    fetch: (url: string | URL | Request, init?: RequestInit) => {
      requests.push(String(url));
      return fetch(url, init);
    },
  });
  client.setAccessToken(token);
  return { client, requests };
}

describe('rosters, paged listing and provider directory', () => {
  let server: TestBackend;
  let big: WithId<Organization>;
  let small: WithId<Organization>;
  beforeAll(async () => {
    server = await startTestBackend();
    const admin = await signInAsAdmin(server);
    big = await createClinic(admin, 'Big Clinic');
    small = await createClinic(admin, 'Small Clinic');
    await seedPatients(admin, big, 250, 'big');
    await seedPatients(admin, small, 5, 'small');
  });
  afterAll(async () => {
    await server.stop();
  });

  test('a clinic of 250 patients lists all 250, across pages (page size 100 here)', async () => {
    const admin = await signInAsAdmin(server);
    const { client, requests } = countingClient(server, admin.getAccessToken()!);
    const ctx = engineContext(server, client, { pageSize: 100 });
    const patients = await allClinicPatients(ctx, big.id);
    expect(patients).toHaveLength(250);
    expect(new Set(patients.map((p) => p.id)).size).toBe(250);
    expect(patients.every((p) => p.meta?.accounts?.[0]?.reference === `Organization/${big.id}`)).toBe(true);
    expect(requests.length).toBeGreaterThanOrEqual(3);
  });

  test('search by name and by MRN, over all pages', async () => {
    const admin = await signInAsAdmin(server);
    const ctx = engineContext(server, admin, { pageSize: 10 });
    const bakers = await allClinicPatients(ctx, big.id, 'Baker');
    expect(bakers).toHaveLength(50);
    expect(bakers.every((p) => p.name?.[0]?.family?.startsWith('Baker'))).toBe(true);
    const byMrn = await allClinicPatients(ctx, big.id, 'R-big-17');
    expect(byMrn.map((p) => p.identifier?.[0]?.value)).toEqual(['R-big-17']);
    expect(await allClinicPatients(ctx, small.id, 'R-big-17')).toEqual([]);
  });

  test('the paged listing returns a page and the total in one round trip, sorted by name', async () => {
    const admin = await signInAsAdmin(server);
    const { client, requests } = countingClient(server, admin.getAccessToken()!);
    const first = await listClinicPatients(client, big.id, { offset: 0, count: 50 });
    expect(requests).toHaveLength(1);
    expect(first.total).toBe(250);
    expect(first.patients).toHaveLength(50);
    const families = first.patients.map((p) => p.name?.[0]?.family ?? '');
    expect(families).toEqual([...families].sort());
    const last = await listClinicPatients(client, big.id, { offset: 225, count: 50 });
    expect(last.patients).toHaveLength(25);
    const searched = await listClinicPatients(client, big.id, { search: 'Clark', count: 20 });
    expect(searched.total).toBe(50);
    expect(searched.patients).toHaveLength(20);
    expect(requests).toHaveLength(3);
    await expect(listClinicPatients(client, big.id, { offset: 10_000 })).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  test('clinic roster and provider directory: every clinician with their clinics, admins left out', async () => {
    const admin = await signInAsAdmin(server);
    const ctx = engineContext(server, admin, { pageSize: 2 });
    const both = await createClinician(ctx, { firstName: 'Ada', lastName: 'Both', email: 'ada.both@example.test', npi: '1111111111', clinicIds: [big.id, small.id] });
    const bigOnly = await createClinician(ctx, { firstName: 'Bo', lastName: 'Big', email: 'bo.big@example.test', clinicIds: [big.id] });
    const smallOnly = await createClinician(ctx, { firstName: 'Cy', lastName: 'Small', email: 'cy.small@example.test', clinicIds: [small.id] });
    const unsigned = await admin.createResource({ resourceType: 'Practitioner', name: [{ given: ['Di'], family: 'Nosignin' }] });

    const roster = await allClinicClinicians(ctx, big.id);
    expect(roster.map((r) => r.practitioner.id).sort()).toEqual([both.practitioner.id, bigOnly.practitioner.id].sort());
    expect(roster.find((r) => r.practitioner.id === both.practitioner.id)).toMatchObject({
      npi: '1111111111',
      clinics: [`Organization/${big.id}`, `Organization/${small.id}`],
    });
    expect((await allClinicClinicians(ctx, big.id, '1111111111')).map((r) => r.practitioner.id)).toEqual([both.practitioner.id]);
    expect((await allClinicClinicians(ctx, big.id, 'big')).map((r) => r.practitioner.id)).toEqual([bigOnly.practitioner.id]);

    const directory = await providerDirectory(ctx);
    expect(directory.map((d) => d.practitioner.name?.[0]?.family)).toEqual(['Big', 'Both', 'Nosignin', 'Small']);
    expect(directory.find((d) => d.practitioner.id === both.practitioner.id)?.clinicNames).toEqual([
      { reference: `Organization/${big.id}`, name: 'Big Clinic' },
      { reference: `Organization/${small.id}`, name: 'Small Clinic' },
    ]);
    expect(directory.find((d) => d.practitioner.id === unsigned.id)).toMatchObject({ clinics: [], memberships: [] });
    expect(directory.find((d) => d.practitioner.id === smallOnly.practitioner.id)?.clinics).toEqual([`Organization/${small.id}`]);
  });
});
