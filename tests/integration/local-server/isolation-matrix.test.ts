/**
 * The isolation matrix over real HTTP with stock MedplumClients: what a clinician of each
 * clinic finds and reads, and how `$set-accounts` with propagate moves a patient's record.
 */
import type { Observation, Parameters, Patient } from '@medplum/fhirtypes';
import type { WithId } from '@medplum/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestBackend } from '../../support/backend';
import { startTestBackend } from '../../support/backend';
import { createClinic, createClinician, createPatientInClinics, signInAsAdmin } from '../../support/local-server';

let server: TestBackend;
beforeAll(async () => {
  server = await startTestBackend();
});
afterAll(async () => {
  await server.stop();
});

function observationFor(patient: WithId<Patient>): Observation {
  return { resourceType: 'Observation', status: 'final', code: { text: 'heart rate' }, subject: { reference: `Patient/${patient.id}` } };
}

describe('isolation matrix', () => {
  test('clinicians find and read only their clinic; $set-accounts with propagate moves the record between clinics', async () => {
    const admin = await signInAsAdmin(server);
    const clinicA = await createClinic(admin, 'Matrix A');
    const clinicB = await createClinic(admin, 'Matrix B');
    const patientA = await createPatientInClinics(admin, [clinicA]);
    const patientB = await createPatientInClinics(admin, [clinicB]);
    // Written without meta, so they inherit their patient's clinics, as clinical data does.
    const observationA = await admin.createResource(observationFor(patientA));
    const observationB = await admin.createResource(observationFor(patientB));
    const clinicianA = await createClinician(server, admin, [clinicA]);
    const clinicianB = await createClinician(server, admin, [clinicB]);

    const ids = async (client: typeof admin, type: 'Patient' | 'Observation') =>
      (await client.searchResources(type, {}, { cache: 'no-cache' })).map((resource) => resource.id).sort();

    expect(await ids(clinicianA.client, 'Patient')).toEqual([patientA.id]);
    expect(await ids(clinicianA.client, 'Observation')).toEqual([observationA.id]);
    await expect(clinicianA.client.readResource('Observation', observationA.id)).resolves.toMatchObject({ id: observationA.id });
    await expect(clinicianA.client.readResource('Patient', patientB.id)).rejects.toThrow(/not found/i);
    await expect(clinicianA.client.readResource('Observation', observationB.id)).rejects.toThrow(/not found/i);
    expect(await ids(clinicianB.client, 'Patient')).toEqual([patientB.id]);

    const move: Parameters = {
      resourceType: 'Parameters',
      parameter: [
        { name: 'accounts', valueReference: { reference: `Organization/${clinicB.id}` } },
        { name: 'propagate', valueBoolean: true },
      ],
    };
    await admin.post(admin.fhirUrl('Patient', patientA.id, '$set-accounts'), move);

    expect(await ids(clinicianA.client, 'Patient')).toEqual([]);
    expect(await ids(clinicianA.client, 'Observation')).toEqual([]);
    await expect(clinicianA.client.readResource('Observation', observationA.id)).rejects.toThrow(/not found/i);
    expect(await ids(clinicianB.client, 'Patient')).toEqual([patientA.id, patientB.id].sort());
    expect(await ids(clinicianB.client, 'Observation')).toEqual([observationA.id, observationB.id].sort());
    const moved = await admin.readResource('Observation', observationA.id, { cache: 'no-cache' });
    expect(moved.meta?.accounts).toEqual([{ reference: `Organization/${clinicB.id}` }]);
  });
});
