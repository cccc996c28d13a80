/**
 * `X-Medplum-On-Behalf-Of` on the local server, as on a real Medplum (checked against one by
 * tests/real/differential/isolation.test.ts): a project admin's request runs as the named
 * membership; the quota stays the admin's.
 */
import type { Bundle, Observation } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LocalServer } from '../../support/local-server';
import { createClinic, createClinician, createPatientInClinics, signInAsAdmin, startTestServer } from '../../support/local-server';
import { fhirPointsLeft, namesIn, outcomeOf, send } from '../../real/differential/compare';

let server: LocalServer;
beforeAll(async () => {
  server = await startTestServer({ quota: { pointsPerWindow: 100_000 } });
});
afterAll(async () => {
  await server.stop();
});

describe('X-Medplum-On-Behalf-Of', () => {
  test('an admin acting as a clinician sees, reads and writes exactly as the clinician; the admin pays', async () => {
    const admin = await signInAsAdmin(server);
    const north = await createClinic(admin, 'North');
    const south = await createClinic(admin, 'South');
    await createPatientInClinics(admin, [north], 'OboNorth');
    const southPatient = await createPatientInClinics(admin, [south], 'OboSouth');
    const clinician = await createClinician(server, admin, [north]);
    const asMembership = { 'X-Medplum-On-Behalf-Of': `ProjectMembership/${clinician.membership.id}` };
    const asProfile = { 'X-Medplum-On-Behalf-Of': clinician.membership.profile?.reference ?? '' };

    const own = namesIn((await send(clinician.client, 'GET', 'fhir/R4/Patient')).body as Bundle);
    expect(own).toEqual(['OboNorth']);
    expect(namesIn((await send(admin, 'GET', 'fhir/R4/Patient', undefined, asMembership)).body as Bundle)).toEqual(own);
    expect(namesIn((await send(admin, 'GET', 'fhir/R4/Patient', undefined, asProfile)).body as Bundle)).toEqual(own);
    expect(namesIn((await send(admin, 'GET', 'fhir/R4/Patient')).body as Bundle)).toEqual(['OboNorth', 'OboSouth']);
    expect((await send(admin, 'GET', `fhir/R4/Patient/${southPatient.id}`, undefined, asMembership)).status).toBe(404);
    // The clinician is no admin: the admin-only types are closed to the request too.
    expect((await send(admin, 'GET', 'fhir/R4/ProjectMembership', undefined, asMembership)).status).toBe(403);

    const created = await send(
      admin,
      'POST',
      'fhir/R4/Observation',
      { resourceType: 'Observation', status: 'final', code: { text: 'as clinician' } },
      { ...asMembership, 'X-Medplum': 'extended' }
    );
    expect(created.status).toBe(201);
    expect((created.body as Observation).meta?.accounts).toEqual([{ reference: `Organization/${north.id}` }]);
    // Recorded as Medplum does: written by the admin, on behalf of the clinician.
    expect((created.body as Observation).meta?.author?.reference).toBe(`Practitioner/${admin.getProfile()?.id}`);
    expect((created.body as Observation).meta?.onBehalfOf?.reference).toBe(clinician.membership.profile?.reference);
    const ownWrite = await send(admin, 'POST', 'fhir/R4/Observation', { resourceType: 'Observation', status: 'final', code: { text: 'own' } }, { 'X-Medplum': 'extended' });
    expect((ownWrite.body as Observation).meta?.author?.reference).toBe(`Practitioner/${admin.getProfile()?.id}`);
    expect((ownWrite.body as Observation).meta?.onBehalfOf).toBeUndefined();

    const adminBefore = fhirPointsLeft((await send(admin, 'GET', 'fhir/R4/Patient?_count=1')).headers)?.remaining ?? 0;
    const clinicianBefore = fhirPointsLeft((await send(clinician.client, 'GET', 'fhir/R4/Patient?_count=1')).headers)?.remaining ?? 0;
    const acted = await send(admin, 'GET', 'fhir/R4/Patient?_count=1', undefined, asMembership);
    expect(fhirPointsLeft(acted.headers)?.remaining).toBe(adminBefore - 20);
    const clinicianAfter = fhirPointsLeft((await send(clinician.client, 'GET', 'fhir/R4/Patient?_count=1')).headers)?.remaining;
    expect(clinicianAfter).toBe(clinicianBefore - 20);
  });

  test('refused: from a non-admin (403), an unknown membership (404), a profile with no membership (403)', async () => {
    const admin = await signInAsAdmin(server);
    const clinic = await createClinic(admin);
    const clinician = await createClinician(server, admin, [clinic]);
    const header = (value: string) => ({ 'X-Medplum-On-Behalf-Of': value });
    expect(outcomeOf(await send(clinician.client, 'GET', 'fhir/R4/Patient', undefined, header(`ProjectMembership/${clinician.membership.id}`))).status).toBe(403);
    expect(outcomeOf(await send(admin, 'GET', 'fhir/R4/Patient', undefined, header(`ProjectMembership/${crypto.randomUUID()}`))).status).toBe(404);
    expect(outcomeOf(await send(admin, 'GET', 'fhir/R4/Patient', undefined, header(`Practitioner/${crypto.randomUUID()}`))).status).toBe(403);
  });
});
