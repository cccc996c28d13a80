/**
 * The local server's version history as Medplum 5.0.10 keeps it (tests/real/differential/history.test.ts
 * compares the two): no version for an update that changes nothing, `total` on history, the
 * signed-in admin as author of an admin-endpoint write, `system` as author of an invite and of
 * every write without a request behind it (the seed).
 */
import type { AccessPolicy, Bundle, Patient, Practitioner, ProjectMembership } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestBackend, startTestBackend } from '../../support/backend';
import { createClinic, createClinician, signInAsAdmin } from '../../support/local-server';
import type { MedplumClient } from '@medplum/core';

let server: TestBackend;
let admin: MedplumClient;
// A new object each time: MedplumClient writes into the options it is given.
const fresh = () => ({ cache: 'no-cache' }) as RequestInit;

beforeAll(async () => {
  server = await startTestBackend({ kind: 'local' });
  admin = await signInAsAdmin(server);
});
afterAll(() => server.stop());

describe('local server history', () => {
  it('an update that changes nothing keeps the version; history counts its versions', async () => {
    const patient = await admin.createResource<Patient>({ resourceType: 'Patient', name: [{ family: 'Same' }] });
    const same = await admin.updateResource<Patient>({ ...patient });
    expect(same.meta?.versionId).toBe(patient.meta?.versionId);
    await admin.updateResource<Patient>({ ...patient, active: true });
    const history = (await admin.get(admin.fhirUrl('Patient', patient.id, '_history').toString(), fresh())) as Bundle<Patient>;
    expect(history.total).toBe(2);
    expect(history.entry?.map((e) => e.resource?.active ?? false)).toEqual([true, false]);
  });

  it('an invite is written by system; the admin members endpoint by the admin who called it', async () => {
    const clinic = await createClinic(admin, 'History clinic');
    const clinician = await createClinician(server, admin, [clinic]);
    const current = await admin.readResource('ProjectMembership', clinician.membership.id, fresh());
    await admin.post(`admin/projects/${server.projectId}/members/${current.id}`, { ...current, access: [] });
    const history = (await admin.get(admin.fhirUrl('ProjectMembership', current.id, '_history').toString(), fresh())) as Bundle<ProjectMembership>;
    expect(history.entry?.map((e) => e.resource?.meta?.author?.reference)).toEqual([`Practitioner/${admin.getProfile()?.id}`, 'system']);
  });

  it('what the seed wrote is written by system, as Medplum’s system repository records it', async () => {
    const policy = (await admin.get(admin.fhirUrl('AccessPolicy', server.seed.msoPolicyId, '_history').toString(), fresh())) as Bundle<AccessPolicy>;
    const profileId = admin.getProfile()?.id as string;
    const profile = (await admin.get(admin.fhirUrl('Practitioner', profileId, '_history').toString(), fresh())) as Bundle<Practitioner>;
    expect(policy.entry?.map((e) => e.resource?.meta?.author?.reference)).toEqual(['system']);
    expect(profile.entry?.map((e) => e.resource?.meta?.author?.reference)).toEqual(['system']);
  });

  it('a write after the seed is the writer’s own, not system’s', async () => {
    const profileId = admin.getProfile()?.id as string;
    const current = await admin.readResource('Practitioner', profileId, fresh());
    await admin.updateResource<Practitioner>({ ...current, active: true });
    const history = (await admin.get(admin.fhirUrl('Practitioner', profileId, '_history').toString(), fresh())) as Bundle<Practitioner>;
    expect(history.entry?.map((e) => e.resource?.meta?.author?.reference)).toEqual([`Practitioner/${profileId}`, 'system']);
  });
});
