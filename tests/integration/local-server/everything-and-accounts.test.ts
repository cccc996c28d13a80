/**
 * Two behaviours the differential tests found where the local server differed from a real
 * Medplum 5.0 (tests/real/differential): `Patient/$everything`, and the accounts an admin's create
 * gets with and without `X-Medplum: extended`.
 */
import type { Bundle, Observation, Organization, Patient } from '@medplum/fhirtypes';
import type { WithId } from '@medplum/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LocalServer } from '../../support/local-server';
import { createClinic, createClinician, createPatientInClinics, signInAsAdmin, startTestServer } from '../../support/local-server';
import { nameOf, send } from '../../real/differential/compare';

let server: LocalServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

describe('Patient/$everything', () => {
  test('the admin gets the patient, its records and the clinics they name; a clinician 403 (cannot search every compartment type)', async () => {
    const admin = await signInAsAdmin(server);
    const north = await createClinic(admin, 'North');
    const patient = await createPatientInClinics(admin, [north], 'Everything');
    await admin.createResource<Observation>({ resourceType: 'Observation', status: 'final', code: { text: 'e' }, subject: { reference: `Patient/${patient.id}` } });
    await admin.createResource<Observation>({ resourceType: 'Observation', status: 'final', code: { text: 'other' } });
    const clinician = await createClinician(server, admin, [north]);

    const all = await send(admin, 'GET', `fhir/R4/Patient/${patient.id}/$everything`);
    expect(all.status).toBe(200);
    const bundle = all.body as Bundle;
    expect(bundle.type).toBe('searchset');
    expect((bundle.entry ?? []).map((e) => `${e.search?.mode}:${nameOf(e.resource)}`).sort()).toEqual([
      'include:North',
      'match:Everything',
      'match:Observation:e',
    ]);
    expect((await send(admin, 'POST', `fhir/R4/Patient/${patient.id}/$everything`)).status).toBe(200);
    expect((await send(admin, 'GET', `fhir/R4/Patient/${crypto.randomUUID()}/$everything`)).status).toBe(404);
    // 403 even for the clinician's own patient, and before any read (a missing one too).
    expect((await send(clinician.client, 'GET', `fhir/R4/Patient/${patient.id}/$everything`)).status).toBe(403);
    expect((await send(clinician.client, 'GET', `fhir/R4/Patient/${crypto.randomUUID()}/$everything`)).status).toBe(403);
  });
});

describe('accounts of an admin create, by mode', () => {
  const EXTENDED = { 'X-Medplum': 'extended' };
  let north: WithId<Organization>;
  let south: WithId<Organization>;
  let patient: WithId<Patient>;
  beforeAll(async () => {
    const admin = await signInAsAdmin(server);
    north = await createClinic(admin, 'North');
    south = await createClinic(admin, 'South');
    patient = await createPatientInClinics(admin, [north], 'ModePatient');
  });

  async function accountsAfterCreate(resource: object, headers: Record<string, string>): Promise<string[]> {
    const admin = await signInAsAdmin(server);
    const type = (resource as { resourceType: string }).resourceType;
    const made = await send(admin, 'POST', `fhir/R4/${type}`, resource, headers);
    expect(made.status).toBe(201);
    const stored = await server.store.readResource(type, (made.body as { id: string }).id);
    return (stored.meta?.accounts ?? []).map((a) => a.reference ?? '');
  }

  const observation = (meta: object | undefined) => ({
    resourceType: 'Observation',
    status: 'final',
    code: { text: 'mode' },
    subject: { reference: `Patient/${patient.id}` },
    meta,
  });

  test('without X-Medplum: extended an admin’s accounts are derived: the patient’s, even over ones sent', async () => {
    expect(await accountsAfterCreate(observation({ tag: [{ code: 't' }] }), {})).toEqual([`Organization/${north.id}`]);
    expect(await accountsAfterCreate(observation({ accounts: [{ reference: `Organization/${south.id}` }] }), {})).toEqual([`Organization/${north.id}`]);
    expect(await accountsAfterCreate(observation(undefined), {})).toEqual([`Organization/${north.id}`]);
  });

  test('without it, accounts sent stay only when nothing is derived (a new patient, an unlinked resource)', async () => {
    const sent = { accounts: [{ reference: `Organization/${south.id}` }] };
    expect(await accountsAfterCreate({ resourceType: 'Patient', meta: sent }, {})).toEqual([`Organization/${south.id}`]);
    expect(await accountsAfterCreate({ resourceType: 'Organization', name: 'Unlinked', meta: sent }, {})).toEqual([`Organization/${south.id}`]);
  });

  test('with X-Medplum: extended an admin who sends a meta gets exactly its accounts (a tag-only meta: none)', async () => {
    expect(await accountsAfterCreate(observation({ tag: [{ code: 't' }] }), EXTENDED)).toEqual([]);
    expect(await accountsAfterCreate(observation({ accounts: [{ reference: `Organization/${south.id}` }] }), EXTENDED)).toEqual([
      `Organization/${south.id}`,
    ]);
    expect(await accountsAfterCreate(observation(undefined), EXTENDED)).toEqual([`Organization/${north.id}`]);
  });
});
