import type { MedplumClient, WithId } from '@medplum/core';
import type { Observation, Organization, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createClinician } from '../../../main/engines/clinicians';
import { ensureUniversalConsent } from '../../../main/engines/consent';
import { installMsoPolicy } from '../../../main/engines/install-policy';
import {
  assignClinician,
  changePatientClinics,
  clinicsOfPatient,
  createPatient,
  enrollPatient,
  grantConsent,
  hasConsent,
  revokeConsent,
  unassignClinician,
  unenrollPatient,
} from '../../../main/engines/patients';
import type { TestBackend } from '../../support/backend';
import { startTestBackend } from '../../support/backend';
import { createClinic, signInAsAdmin } from '../../support/local-server';
import { engineContext, signInToMembership, visiblePatientIds } from '../../support/engine';

const PASSWORD = 'correct-horse-battery';
let n = 0;
// A new object each time: MedplumClient writes into the options it is given.
const fresh = () => ({ cache: 'no-cache' }) as RequestInit;

async function clinicianOf(server: TestBackend, admin: MedplumClient, clinic: WithId<Organization>): Promise<{ client: MedplumClient; practitionerId: string }> {
  const ctx = engineContext(server, admin);
  const address = `pc${++n}.${Date.now()}@example.test`;
  const account = await createClinician(ctx, { firstName: 'C', lastName: `Clinic${n}`, email: address, clinicIds: [clinic.id], password: PASSWORD });
  return { client: await signInToMembership(server, address, PASSWORD), practitionerId: account.practitioner.id };
}

async function visibleObservationIds(client: MedplumClient): Promise<string[]> {
  const bundle = await client.search('Observation', { _count: '1000' }, fresh());
  return (bundle.entry ?? []).map((e) => e.resource?.id as string).sort();
}

async function addObservations(admin: MedplumClient, patient: Patient, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const obs = await admin.createResource<Observation>({
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'Heart rate' },
      subject: { reference: `Patient/${patient.id}` },
      valueQuantity: { value: 60 + i, unit: '/min' },
    });
    ids.push(obs.id);
  }
  return ids.sort();
}

function newPatient(clinicIds: string[]): Parameters<typeof createPatient>[1] {
  return { given: 'Pat', family: `Person${++n}`, birthDate: '1980-02-03', gender: 'female', mrn: `MRN-${n}-${Date.now()}`, clinicIds };
}

describe('patients: create, enroll, unenroll, move', () => {
  let server: TestBackend;
  let admin: MedplumClient;
  let clinicA: WithId<Organization>;
  let clinicB: WithId<Organization>;
  let clinicianA: MedplumClient;
  let clinicianB: MedplumClient;
  beforeAll(async () => {
    server = await startTestBackend();
    admin = await signInAsAdmin(server);
    clinicA = await createClinic(admin, 'Patients A');
    clinicB = await createClinic(admin, 'Patients B');
    clinicianA = (await clinicianOf(server, admin, clinicA)).client;
    clinicianB = (await clinicianOf(server, admin, clinicB)).client;
  });
  afterAll(async () => {
    await server.stop();
  });

  test('create stores name, birth date, gender, MRN and clinics; the same MRN again gives the same patient', async () => {
    const ctx = engineContext(server, admin);
    const input = newPatient([clinicA.id]);
    const patient = await createPatient(ctx, input);
    const stored = await admin.readResource('Patient', patient.id, fresh());
    expect(stored).toMatchObject({
      name: [{ given: ['Pat'], family: input.family }],
      birthDate: '1980-02-03',
      gender: 'female',
      identifier: [{ system: ctx.mrnSystem, value: input.mrn }],
    });
    expect(clinicsOfPatient(stored)).toEqual([`Organization/${clinicA.id}`]);
    expect((await createPatient(ctx, input)).id).toBe(patient.id);
    expect(await visiblePatientIds(clinicianA)).toContain(patient.id);
    expect(await visiblePatientIds(clinicianB)).not.toContain(patient.id);
    // No PHI in the activity log: references only.
    const log = JSON.stringify(ctx.activity.entries);
    expect(log).not.toContain(input.family);
    expect(log).not.toContain(input.mrn);
    expect(log).not.toContain('1980');
  });

  test('an MRN already on file: the existing patient is enrolled in the clinics asked for', async () => {
    const ctx = engineContext(server, admin);
    const input = newPatient([clinicA.id]);
    const first = await createPatient(ctx, input);
    const second = await createPatient(ctx, { ...input, clinicIds: [clinicB.id] });
    expect(second.id).toBe(first.id);
    expect(clinicsOfPatient(second).sort()).toEqual([`Organization/${clinicA.id}`, `Organization/${clinicB.id}`].sort());
  });

  test('a patient moved from clinic A to clinic B takes its observations along, as seen by clinicians of each clinic', async () => {
    const ctx = engineContext(server, admin);
    const patient = await createPatient(ctx, newPatient([clinicA.id]));
    const observations = await addObservations(admin, patient, 3);
    expect(await visibleObservationIds(clinicianA)).toEqual(expect.arrayContaining(observations));
    expect(await visibleObservationIds(clinicianB)).toEqual(expect.not.arrayContaining([observations[0]]));

    const result = await changePatientClinics(ctx, patient.id, { enroll: [clinicB.id], unenroll: [clinicA.id] });
    expect(result).toMatchObject({ written: true, attempts: 1, recordsUpdated: 3 });
    expect(await visiblePatientIds(clinicianB)).toContain(patient.id);
    expect(await visibleObservationIds(clinicianB)).toEqual(expect.arrayContaining(observations));
    expect(await visiblePatientIds(clinicianA)).not.toContain(patient.id);
    const seenByA = await visibleObservationIds(clinicianA);
    expect(observations.filter((id) => seenByA.includes(id))).toEqual([]);
    expect(ctx.activity.entries.at(-1)).toMatchObject({
      action: 'patient.move',
      targets: [`Patient/${patient.id}`, `Organization/${clinicB.id}`, `Organization/${clinicA.id}`],
      result: 'ok',
    });
  });

  test('records over several pages all follow the patient (page size 2 here)', async () => {
    const ctx = engineContext(server, admin, { pageSize: 2 });
    const patient = await createPatient(ctx, newPatient([clinicA.id]));
    const observations = await addObservations(admin, patient, 5);
    const result = await enrollPatient(ctx, patient.id, clinicB.id);
    expect(result.recordsUpdated).toBe(5);
    expect(await visibleObservationIds(clinicianB)).toEqual(expect.arrayContaining(observations));
    await unenrollPatient(ctx, patient.id, clinicA.id);
    const seenByA = await visibleObservationIds(clinicianA);
    expect(observations.filter((id) => seenByA.includes(id))).toEqual([]);
    const stored = await admin.readResource('Patient', patient.id, fresh());
    expect(clinicsOfPatient(stored)).toEqual([`Organization/${clinicB.id}`]);
  });

  test('records left with other accounts than the patient are corrected by the next change, even one already in place', async () => {
    const ctx = engineContext(server, admin);
    const patient = await createPatient(ctx, newPatient([clinicA.id]));
    const [observation] = await addObservations(admin, patient, 1);
    const obs = await admin.readResource('Observation', observation!, fresh());
    // As a lost propagation leaves it: the record still in clinic B, which the patient is not in.
    await admin.updateResource({ ...obs, meta: { ...obs.meta, accounts: [{ reference: `Organization/${clinicB.id}` }] } });
    expect(await enrollPatient(ctx, patient.id, clinicA.id)).toMatchObject({ written: false, recordsUpdated: 1 });
    const repaired = await admin.readResource('Observation', observation!, fresh());
    expect((repaired.meta?.accounts ?? []).map((a) => a.reference)).toEqual([`Organization/${clinicA.id}`]);
  });

  test('a clinician’s session cannot change a patient’s clinics: refused, and the patient keeps them', async () => {
    const patient = await createPatient(engineContext(server, admin), newPatient([clinicA.id]));
    const asClinician = engineContext(server, clinicianA);
    await expect(enrollPatient(asClinician, patient.id, clinicB.id)).rejects.toMatchObject({ code: 'forbidden' });
    expect(clinicsOfPatient(await admin.readResource('Patient', patient.id, fresh()))).toEqual([`Organization/${clinicA.id}`]);
  });

  test('enrolling where the patient already is writes nothing', async () => {
    const ctx = engineContext(server, admin);
    const patient = await createPatient(ctx, newPatient([clinicA.id]));
    const version = (await admin.readResource('Patient', patient.id, fresh())).meta?.versionId;
    expect(await enrollPatient(ctx, patient.id, clinicA.id)).toMatchObject({ written: false, recordsUpdated: 0 });
    expect((await admin.readResource('Patient', patient.id, fresh())).meta?.versionId).toBe(version);
  });

  test('two administrators enrolling one patient at the same time: every change survives, on the patient and its records', async () => {
    const clinics = await Promise.all([1, 2, 3, 4].map((i) => createClinic(admin, `Concurrent ${i}`)));
    const admins = await Promise.all(clinics.map(() => signInAsAdmin(server)));
    const ctx = engineContext(server, admin);
    const patient = await createPatient(ctx, newPatient([clinicA.id]));
    const [observation] = await addObservations(admin, patient, 1);
    const results = await Promise.all(clinics.map((clinic, i) => enrollPatient(engineContext(server, admins[i]!), patient.id, clinic.id)));
    const expected = [clinicA, ...clinics].map((c) => `Organization/${c.id}`).sort();
    const stored = await admin.readResource('Patient', patient.id, fresh());
    expect(clinicsOfPatient(stored).sort()).toEqual(expected);
    const obs = await admin.readResource('Observation', observation!, fresh());
    expect((obs.meta?.accounts ?? []).map((a) => a.reference).sort()).toEqual(expected);
    // Each wrote once; the ones that lost a race decided again on the newer version.
    expect(results.every((r) => r.written)).toBe(true);
  });
});

describe('patients: consent-gated and assigned-clinician policies', () => {
  let server: TestBackend;
  let admin: MedplumClient;
  let clinic: WithId<Organization>;
  beforeAll(async () => {
    server = await startTestBackend();
    admin = await signInAsAdmin(server);
    clinic = await createClinic(admin, 'Consent Clinic');
  });
  afterAll(async () => {
    await server.stop();
  });

  test('with the consent-gated policy, granting the universal consent opens the patient and its records; revoking closes them', async () => {
    const ctx = engineContext(server, admin);
    const consent = await ensureUniversalConsent(ctx);
    expect((await ensureUniversalConsent(ctx)).id).toBe(consent.id);
    const consentRef = { reference: `Consent/${consent.id}` };
    await installMsoPolicy(ctx, { kind: 'consent-gated', consent: consentRef });
    const { client: clinician } = await clinicianOf(server, admin, clinic);
    const patient = await createPatient(ctx, newPatient([clinic.id]));
    const observations = await addObservations(admin, patient, 2);
    expect(await visiblePatientIds(clinician)).toEqual([]);

    await grantConsent(ctx, patient.id, consentRef);
    expect(hasConsent(await admin.readResource('Patient', patient.id, fresh()), consentRef)).toBe(true);
    expect(await visiblePatientIds(clinician)).toEqual([patient.id]);
    expect(await visibleObservationIds(clinician)).toEqual(observations);

    await revokeConsent(ctx, patient.id, consentRef);
    expect(await visiblePatientIds(clinician)).toEqual([]);
    expect(await visibleObservationIds(clinician)).toEqual([]);
    const stored = await admin.readResource('Patient', patient.id, fresh());
    expect(clinicsOfPatient(stored)).toEqual([`Organization/${clinic.id}`]);
    expect(ctx.activity.entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['patient.consent-grant', 'patient.consent-revoke'])
    );
    await installMsoPolicy(ctx);
  });

  test('with the assigned-clinician policy, a clinician sees only the clinic patients assigned to them', async () => {
    const ctx = engineContext(server, admin);
    await installMsoPolicy(ctx, { kind: 'assigned-clinician' });
    const mine = await clinicianOf(server, admin, clinic);
    const colleague = await clinicianOf(server, admin, clinic);
    const patient = await createPatient(ctx, newPatient([clinic.id]));
    const other = await createPatient(ctx, newPatient([clinic.id]));
    await assignClinician(ctx, patient.id, mine.practitionerId);
    expect(await visiblePatientIds(mine.client)).toEqual([patient.id]);
    expect(await visiblePatientIds(colleague.client)).toEqual([]);
    await unassignClinician(ctx, patient.id, mine.practitionerId);
    expect(await visiblePatientIds(mine.client)).toEqual([]);
    expect(other.id).toBeDefined();
    await installMsoPolicy(ctx);
  });
});
