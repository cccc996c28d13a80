/**
 * The local server validates what clients write against the StructureDefinitions, as a real
 * Medplum does (found by tests/real/differential/writes.test.ts): 400 with the reason, in plain
 * writes, updates, patches and each batch or transaction entry; nothing invalid is stored.
 */
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LocalServer } from '../../support/local-server';
import { createClinic, createClinician, createPatientInClinics, signInAsAdmin, startTestServer } from '../../support/local-server';
import { outcomeOf, send } from '../../real/differential/compare';

let server: LocalServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

const MISSING_STATUS = ['error | structure | Missing required property | Observation.status'];

describe('write validation', () => {
  test('a plain create, update or patch that breaks the definition is 400 with the reason and changes nothing', async () => {
    const admin = await signInAsAdmin(server);
    const observations = server.store.countResources('Observation');
    expect(outcomeOf(await send(admin, 'POST', 'fhir/R4/Observation', { resourceType: 'Observation', code: { text: 'x' } }))).toEqual({
      status: 400,
      issues: MISSING_STATUS,
    });
    expect(server.store.countResources('Observation')).toBe(observations);
    expect(outcomeOf(await send(admin, 'POST', 'fhir/R4/Widget', { resourceType: 'Widget' }))).toEqual({
      status: 400,
      issues: ['error | invalid | Unknown data type: Widget'],
    });

    const patient = await admin.createResource<Patient>({ resourceType: 'Patient', name: [{ family: 'Valid' }] });
    const update = await send(admin, 'PUT', `fhir/R4/Patient/${patient.id}`, { ...patient, birthDate: '31/12/1990' });
    expect(outcomeOf(update)).toEqual({ status: 400, issues: ['error | structure | Invalid date format | Patient.birthDate'] });
    const patch = await send(admin, 'PATCH', `fhir/R4/Patient/${patient.id}`, [{ op: 'add', path: '/active', value: 'yes' }], {
      'Content-Type': 'application/json-patch+json',
    });
    expect(patch.status).toBe(400);
    const stored = await server.store.readResource<Patient>('Patient', patient.id);
    expect(stored.meta?.versionId).toBe(patient.meta?.versionId);
    expect(stored.active).toBeUndefined();
  });

  test('each invalid batch or transaction entry is 400 and the valid ones are written; an atomic transaction writes none', async () => {
    const admin = await signInAsAdmin(server);
    const entry = (family: string, extra: object = {}) => ({
      request: { method: 'POST', url: 'Patient' },
      resource: { resourceType: 'Patient', name: [{ family }], ...extra },
    });
    const statuses = (bundle: unknown) => ((bundle as Bundle).entry ?? []).map((e) => e.response?.status?.split(' ')[0]);
    const named = async (family: string) => (await admin.searchResources('Patient', { family }, { cache: 'no-cache' } as RequestInit)).length;

    const batch = await send(admin, 'POST', 'fhir/R4', { resourceType: 'Bundle', type: 'batch', entry: [entry('VBatchOk'), entry('VBatchBad', { birthDate: 'x' })] });
    expect(statuses(batch.body)).toEqual(['201', '400']);
    const transaction = await send(admin, 'POST', 'fhir/R4', { resourceType: 'Bundle', type: 'transaction', entry: [entry('VTxOk'), entry('VTxBad', { birthDate: 'x' })] });
    expect(statuses(transaction.body)).toEqual(['201', '400']);
    expect([await named('VBatchOk'), await named('VBatchBad'), await named('VTxOk'), await named('VTxBad')]).toEqual([1, 0, 1, 0]);

    await server.setProjectFeatures(['transaction-bundles']);
    const atomic = await send(admin, 'POST', 'fhir/R4', { resourceType: 'Bundle', type: 'transaction', entry: [entry('VAtomicOk'), entry('VAtomicBad', { birthDate: 'x' })] });
    await server.setProjectFeatures([]);
    expect(atomic.status).toBe(400);
    expect(await named('VAtomicOk')).toBe(0);
  });

  test('the access policy decides first: a clinician’s invalid write of a type they may not write is 403, of one they may, 400', async () => {
    const admin = await signInAsAdmin(server);
    const clinic = await createClinic(admin);
    const patient = await createPatientInClinics(admin, [clinic]);
    const clinician = await createClinician(server, admin, [clinic]);
    expect((await send(clinician.client, 'POST', 'fhir/R4/Medication', { resourceType: 'Medication', status: 'nope' })).status).toBe(403);
    const invalid = await send(clinician.client, 'POST', 'fhir/R4/Observation', {
      resourceType: 'Observation',
      code: { text: 'x' },
      subject: { reference: `Patient/${patient.id}` },
    });
    expect(outcomeOf(invalid)).toEqual({ status: 400, issues: MISSING_STATUS });
  });
});
