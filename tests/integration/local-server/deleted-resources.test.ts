/**
 * Deleted resources on the local server, as on a real Medplum (found by
 * tests/real/differential/rest.test.ts): a read is 410 Gone, the versions stay readable by vread
 * and history, deleting again succeeds, a PUT recreates; system-level history is a 400.
 */
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LocalServer } from '../../support/local-server';
import { createClinic, createClinician, signInAsAdmin, startTestServer } from '../../support/local-server';
import { outcomeOf, send } from '../../real/differential/compare';

let server: LocalServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

describe('deleted resources', () => {
  test('410 on read; vread and history still answer; delete again 200; a PUT brings it back', async () => {
    const admin = await signInAsAdmin(server);
    const patient = await admin.createResource<Patient>({ resourceType: 'Patient', name: [{ family: 'Deleted' }] });
    const second = await admin.updateResource<Patient>({ ...patient, active: true });
    expect((await send(admin, 'DELETE', `fhir/R4/Patient/${patient.id}`)).status).toBe(200);

    expect(outcomeOf(await send(admin, 'GET', `fhir/R4/Patient/${patient.id}`))).toEqual({ status: 410, issues: ['error | deleted | Gone'] });
    const vread = await send(admin, 'GET', `fhir/R4/Patient/${patient.id}/_history/${patient.meta?.versionId}`);
    expect(vread.status).toBe(200);
    expect((vread.body as Patient).meta?.versionId).toBe(patient.meta?.versionId);
    const history = await send(admin, 'GET', `fhir/R4/Patient/${patient.id}/_history`);
    expect(history.status).toBe(200);
    expect(((history.body as Bundle).entry ?? []).map((e) => e.resource?.meta?.versionId)).toEqual([second.meta?.versionId, patient.meta?.versionId]);
    expect((((await send(admin, 'GET', 'fhir/R4/Patient?family=Deleted')).body as Bundle).entry ?? []).length).toBe(0);
    expect((await send(admin, 'DELETE', `fhir/R4/Patient/${patient.id}`)).status).toBe(200);
    expect((await send(admin, 'DELETE', `fhir/R4/Patient/${crypto.randomUUID()}`)).status).toBe(404);

    const back = await send(admin, 'PUT', `fhir/R4/Patient/${patient.id}`, { ...patient, active: false });
    expect(back.status).toBeLessThan(300);
    expect((await send(admin, 'GET', `fhir/R4/Patient/${patient.id}`)).status).toBe(200);
  });

  test('system-level history is a 400, type-level history a 404', async () => {
    const admin = await signInAsAdmin(server);
    expect(outcomeOf(await send(admin, 'GET', 'fhir/R4/_history'))).toEqual({ status: 400, issues: ['error | structure | Unknown resource type'] });
    expect((await send(admin, 'GET', 'fhir/R4/Patient/_history')).status).toBe(404);
  });

  test('a token whose membership was removed gets 410 Gone, as on Medplum', async () => {
    const admin = await signInAsAdmin(server);
    const clinician = await createClinician(server, admin, [await createClinic(admin)]);
    expect((await send(clinician.client, 'GET', 'fhir/R4/Patient')).status).toBe(200);
    expect((await send(admin, 'DELETE', `admin/projects/${server.projectId}/members/${clinician.membership.id}`)).status).toBe(200);
    expect(outcomeOf(await send(clinician.client, 'GET', 'fhir/R4/Patient'))).toEqual({ status: 410, issues: ['error | deleted | Gone'] });
  });
});
