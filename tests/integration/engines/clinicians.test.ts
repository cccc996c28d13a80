import type { WithId } from '@medplum/core';
import type { Organization, Patient, ProjectMembership } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { clinicsOf, labelOf, MEMBERSHIP_LABEL_SYSTEM } from '../../../main/engines/access-list';
import {
  changeClinicianClinics,
  clinicianMemberships,
  clinicianSignInStatus,
  createClinician,
  enrollClinician,
  NO_CLINIC_LABEL,
  NPI_SYSTEM,
  unenrollClinician,
} from '../../../main/engines/clinicians';
import type { TestBackend } from '../../support/backend';
import { startTestBackend } from '../../support/backend';
import { createClinic, createPatientInClinics, signInAsAdmin } from '../../support/local-server';
import { engineContext, signInToMembership, visiblePatientIds } from '../../support/engine';

let n = 0;
const email = (): string => `clinician${++n}.${Date.now()}@example.test`;
const PASSWORD = 'correct-horse-battery';

describe('clinicians (shared isolation: one membership, one access entry per clinic)', () => {
  let server: TestBackend;
  let clinicA: WithId<Organization>;
  let clinicB: WithId<Organization>;
  let patientA: WithId<Patient>;
  let patientB: WithId<Patient>;
  beforeAll(async () => {
    server = await startTestBackend();
    const admin = await signInAsAdmin(server);
    clinicA = await createClinic(admin, 'Shared A');
    clinicB = await createClinic(admin, 'Shared B');
    patientA = await createPatientInClinics(admin, [clinicA]);
    patientB = await createPatientInClinics(admin, [clinicB]);
  });
  afterAll(async () => {
    await server.stop();
  });

  test('create makes a Practitioner with NPI and email, and a project-scoped sign-in that sees only its clinic', async () => {
    const admin = await signInAsAdmin(server);
    const ctx = engineContext(server, admin);
    const address = email();
    const account = await createClinician(ctx, {
      firstName: 'Jane',
      lastName: 'Smith',
      email: address,
      npi: '1234567893',
      clinicIds: [clinicA.id],
      password: PASSWORD,
    });
    const practitioner = await admin.readResource('Practitioner', account.practitioner.id);
    expect(practitioner.identifier).toEqual([{ system: NPI_SYSTEM, value: '1234567893' }]);
    expect(practitioner.telecom).toEqual([{ system: 'email', use: 'work', value: address }]);
    expect(practitioner.name).toEqual([{ given: ['Jane'], family: 'Smith' }]);

    const [membership] = await clinicianMemberships(ctx, account.practitioner.id);
    expect(membership?.profile?.reference).toBe(`Practitioner/${account.practitioner.id}`);
    expect(membership?.accessPolicy?.reference).toBe(ctx.msoPolicy.reference);
    expect(clinicsOf(membership!)).toEqual([`Organization/${clinicA.id}`]);
    expect(membership?.access?.[0]?.policy.reference).toBe(ctx.msoPolicy.reference);

    const clinician = await signInToMembership(server, address, PASSWORD);
    expect(await visiblePatientIds(clinician)).toEqual([patientA.id]);
    expect(await clinicianSignInStatus(ctx, account.practitioner.id)).toMatchObject({
      // Invited with a password, as the invitation email would let them set one.
      state: 'invited',
      memberships: [{ clinics: [`Organization/${clinicA.id}`], active: true, hasUser: true, hasBasePolicy: true, invitation: 'sent' }],
    });
    expect(ctx.activity.entries.map((e) => [e.action, e.result])).toEqual([['clinician.create', 'ok']]);
  });

  test('enrolling in a second clinic opens it at once for the signed-in clinician; unenrolling from the last clinic leaves a membership that sees no patient', async () => {
    const admin = await signInAsAdmin(server);
    const ctx = engineContext(server, admin);
    const address = email();
    const { practitioner } = await createClinician(ctx, { firstName: 'Lee', lastName: 'Park', email: address, clinicIds: [clinicA.id], password: PASSWORD });
    const clinician = await signInToMembership(server, address, PASSWORD);

    await enrollClinician(ctx, practitioner.id, clinicB.id);
    expect(await visiblePatientIds(clinician)).toEqual([patientA.id, patientB.id].sort());
    // Enrolling again changes nothing.
    const [again] = await enrollClinician(ctx, practitioner.id, clinicB.id);
    expect(again?.access).toHaveLength(2);

    await unenrollClinician(ctx, practitioner.id, clinicA.id);
    expect(await visiblePatientIds(clinician)).toEqual([patientB.id]);
    await unenrollClinician(ctx, practitioner.id, clinicB.id);

    const [membership] = await clinicianMemberships(ctx, practitioner.id);
    expect(membership?.access ?? []).toEqual([]);
    expect(membership?.accessPolicy?.reference).toBe(ctx.msoPolicy.reference);
    // Checked as the clinician, with the token they already had and with a fresh sign-in.
    expect(await visiblePatientIds(clinician)).toEqual([]);
    const fresh = await signInToMembership(server, address, PASSWORD);
    expect(await visiblePatientIds(fresh)).toEqual([]);
    await expect(fresh.readResource('Patient', patientA.id)).rejects.toThrow();
    expect(ctx.activity.entries.map((e) => e.action)).toEqual([
      'clinician.create',
      'clinician.enroll',
      'clinician.enroll',
      'clinician.unenroll',
      'clinician.unenroll',
    ]);
  });

  test('two enrollments made at the same time on one membership both survive (If-Match, re-read, retry)', async () => {
    const admin = await signInAsAdmin(server);
    const otherAdmin = await signInAsAdmin(server);
    const ctx = engineContext(server, admin);
    const ctx2 = engineContext(server, otherAdmin);
    const { practitioner } = await createClinician(ctx, { firstName: 'Max', lastName: 'Race', email: email(), clinicIds: [] });
    const extra = await Promise.all([1, 2, 3, 4].map((i) => createClinic(admin, `Race ${i}`)));
    await Promise.all([
      enrollClinician(ctx, practitioner.id, clinicA.id),
      enrollClinician(ctx2, practitioner.id, clinicB.id),
      ...extra.map((clinic, i) => enrollClinician(i % 2 ? ctx : ctx2, practitioner.id, clinic.id)),
    ]);
    const [membership] = await clinicianMemberships(ctx, practitioner.id);
    expect(clinicsOf(membership!).sort()).toEqual([clinicA, clinicB, ...extra].map((c) => `Organization/${c.id}`).sort());
    expect(membership?.accessPolicy?.reference).toBe(ctx.msoPolicy.reference);
  });

  test('enroll and unenroll in one change; errors for unknown clinicians say what to do', async () => {
    const admin = await signInAsAdmin(server);
    const ctx = engineContext(server, admin);
    const { practitioner } = await createClinician(ctx, { firstName: 'Sam', lastName: 'Swap', email: email(), clinicIds: [clinicA.id] });
    await changeClinicianClinics(ctx, practitioner.id, { enroll: [clinicB.id], unenroll: [clinicA.id] });
    const [membership] = await clinicianMemberships(ctx, practitioner.id);
    expect(clinicsOf(membership!)).toEqual([`Organization/${clinicB.id}`]);

    const stranger = await admin.createResource({ resourceType: 'Practitioner', name: [{ family: 'Nobody' }] });
    await expect(enrollClinician(ctx, stranger.id, clinicA.id)).rejects.toMatchObject({ code: 'not_found' });
    expect(await clinicianSignInStatus(ctx, stranger.id)).toEqual({ state: 'none', memberships: [] });
    await expect(
      createClinician(ctx, { firstName: 'Bad', lastName: 'Npi', email: email(), npi: '123', clinicIds: [] })
    ).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  test('a membership that lost its base policy gets it back on the next edit', async () => {
    const admin = await signInAsAdmin(server);
    const ctx = engineContext(server, admin);
    const { practitioner, memberships } = await createClinician(ctx, { firstName: 'Old', lastName: 'Style', email: email(), clinicIds: [clinicA.id] });
    const legacy = { ...(memberships[0] as ProjectMembership) };
    delete legacy.accessPolicy;
    await admin.updateResource(legacy);
    await unenrollClinician(ctx, practitioner.id, clinicA.id);
    const [membership] = await clinicianMemberships(ctx, practitioner.id);
    expect(membership?.accessPolicy?.reference).toBe(ctx.msoPolicy.reference);
    expect(membership?.access ?? []).toEqual([]);
  });
});

describe('clinicians (strict isolation: one labelled membership per clinic)', () => {
  let server: TestBackend;
  let clinicA: WithId<Organization>;
  let clinicB: WithId<Organization>;
  let clinicC: WithId<Organization>;
  let patientA: WithId<Patient>;
  let patientB: WithId<Patient>;
  let patientC: WithId<Patient>;
  beforeAll(async () => {
    server = await startTestBackend();
    const admin = await signInAsAdmin(server);
    clinicA = await createClinic(admin, 'Downtown Clinic');
    clinicB = await createClinic(admin, 'Uptown Clinic');
    clinicC = await createClinic(admin, 'Midtown Clinic');
    patientA = await createPatientInClinics(admin, [clinicA]);
    patientB = await createPatientInClinics(admin, [clinicB]);
    patientC = await createPatientInClinics(admin, [clinicC]);
  });
  afterAll(async () => {
    await server.stop();
  });

  test('one labelled membership per clinic, each with the base policy, and each sees only its own clinic', async () => {
    const admin = await signInAsAdmin(server);
    const ctx = engineContext(server, admin, { isolation: 'strict' });
    const address = email();
    const { practitioner, memberships } = await createClinician(ctx, {
      firstName: 'Jane',
      lastName: 'Strict',
      email: address,
      clinicIds: [clinicA.id, clinicB.id],
      password: PASSWORD,
    });
    expect(memberships).toHaveLength(2);
    const stored = await clinicianMemberships(ctx, practitioner.id);
    expect(stored.map((m) => [labelOf(m), clinicsOf(m)]).sort()).toEqual([
      ['Downtown Clinic', [`Organization/${clinicA.id}`]],
      ['Uptown Clinic', [`Organization/${clinicB.id}`]],
    ]);
    for (const m of stored) {
      expect(m.accessPolicy?.reference).toBe(ctx.msoPolicy.reference);
      expect(m.identifier?.filter((i) => i.system === MEMBERSHIP_LABEL_SYSTEM)).toHaveLength(1);
      expect(m.user?.reference).toBe(stored[0]?.user?.reference);
    }
    const seen = await Promise.all(
      stored.map(async (m) => [labelOf(m), await visiblePatientIds(await signInToMembership(server, address, PASSWORD, m.id))])
    );
    expect(seen.sort()).toEqual([
      ['Downtown Clinic', [patientA.id]],
      ['Uptown Clinic', [patientB.id]],
    ]);
  });

  test('enrolling adds a membership; unenrolling deletes one, and the last one is emptied (it sees nothing)', async () => {
    const admin = await signInAsAdmin(server);
    const ctx = engineContext(server, admin, { isolation: 'strict' });
    const address = email();
    const { practitioner } = await createClinician(ctx, { firstName: 'Kim', lastName: 'Strict', email: address, clinicIds: [clinicA.id], password: PASSWORD });

    await enrollClinician(ctx, practitioner.id, clinicC.id);
    await enrollClinician(ctx, practitioner.id, clinicC.id);
    let stored = await clinicianMemberships(ctx, practitioner.id);
    expect(stored.map(labelOf).sort()).toEqual(['Downtown Clinic', 'Midtown Clinic']);
    const midtown = stored.find((m) => labelOf(m) === 'Midtown Clinic')!;
    expect(await visiblePatientIds(await signInToMembership(server, address, PASSWORD, midtown.id))).toEqual([patientC.id]);

    await unenrollClinician(ctx, practitioner.id, clinicA.id);
    stored = await clinicianMemberships(ctx, practitioner.id);
    expect(stored.map((m) => m.id)).toEqual([midtown.id]);

    await unenrollClinician(ctx, practitioner.id, clinicC.id);
    stored = await clinicianMemberships(ctx, practitioner.id);
    expect(stored).toHaveLength(1);
    expect(labelOf(stored[0]!)).toBe(NO_CLINIC_LABEL);
    expect(stored[0]?.accessPolicy?.reference).toBe(ctx.msoPolicy.reference);
    expect(await visiblePatientIds(await signInToMembership(server, address, PASSWORD))).toEqual([]);

    // The emptied membership is reused by the next enrollment.
    await enrollClinician(ctx, practitioner.id, clinicB.id);
    stored = await clinicianMemberships(ctx, practitioner.id);
    expect(stored.map((m) => [m.id, labelOf(m)])).toEqual([[midtown.id, 'Uptown Clinic']]);
    expect(await visiblePatientIds(await signInToMembership(server, address, PASSWORD))).toEqual([patientB.id]);
  });
});
