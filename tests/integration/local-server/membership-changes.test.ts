import type { Observation } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestBackend } from '../../support/backend';
import { startTestBackend } from '../../support/backend';
import { createClinic, createClinician, createPatientInClinics, msoPolicyReference, signInAsAdmin } from '../../support/local-server';

describe('membership changes reach tokens already issued', () => {
  let server: TestBackend;
  beforeAll(async () => {
    server = await startTestBackend();
  });
  afterAll(async () => {
    await server.stop();
  });

  test('a clinic added to, then removed from, a membership shows and hides its patients for the same token', async () => {
    const admin = await signInAsAdmin(server);
    const clinicA = await createClinic(admin, 'Change A');
    const clinicB = await createClinic(admin, 'Change B');
    const patientA = await createPatientInClinics(admin, [clinicA]);
    const patientB = await createPatientInClinics(admin, [clinicB]);
    await admin.createResource<Observation>({
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'pulse' },
      subject: { reference: `Patient/${patientB.id}` },
    });
    const clinician = await createClinician(server, admin, [clinicA]);
    const token = clinician.client.getAccessToken();

    expect((await clinician.client.searchResources('Patient')).map((p) => p.id)).toEqual([patientA.id]);
    await expect(clinician.client.readResource('Patient', patientB.id)).rejects.toThrow(/Not found/i);

    const policy = msoPolicyReference(server);
    const membership = await admin.readResource('ProjectMembership', clinician.membership.id);
    const entryB = { policy, parameter: [{ name: 'organization', valueReference: { reference: `Organization/${clinicB.id}` } }] };
    await admin.updateResource({ ...membership, access: [...(membership.access ?? []), entryB] });

    const seen = await clinician.client.searchResources('Patient', {}, { cache: 'no-cache' });
    expect(seen.map((p) => p.id).sort()).toEqual([patientA.id, patientB.id].sort());
    expect((await clinician.client.searchResources('Observation', {}, { cache: 'no-cache' })).map((o) => o.subject?.reference)).toEqual([
      `Patient/${patientB.id}`,
    ]);
    expect(clinician.client.getAccessToken()).toBe(token);

    const withB = await admin.readResource('ProjectMembership', clinician.membership.id);
    await admin.updateResource({ ...withB, access: withB.access?.slice(0, 1) });
    expect((await clinician.client.searchResources('Patient', {}, { cache: 'no-cache' })).map((p) => p.id)).toEqual([patientA.id]);
    expect(clinician.client.getAccessToken()).toBe(token);
  });
});
