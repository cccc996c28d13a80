/**
 * The enrollment channels end to end in main: the renderer's API over the real dispatcher and
 * handlers, signed in over HTTP to the test backend (the local server, or a real Medplum).
 * Asserts what the server holds afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MsoApi } from '../../../preload/api/create-api';
import { type TestMain, createDirectApi, createTestMain } from '../../support/ipc';
import { unwrapOk } from '../../support/envelope';
import { type TestBackend, startTestBackend } from '../../support/backend';
import { createClinician, signIn, signInAsAdmin } from '../../support/local-server';

const MRN_SYSTEM = 'https://riverbend.example/mrn';
let server: TestBackend;
let main: TestMain;
let api: MsoApi;

beforeAll(async () => {
  server = await startTestBackend();
  main = createTestMain();
  api = createDirectApi(main);
  const connection = unwrapOk(
    await api.saveConnection({
      connection: { name: 'Test', baseUrl: server.baseUrl, projectId: server.projectId, mrnSystem: MRN_SYSTEM, isolationMode: 'shared-membership', signIn: { method: 'password' } },
    }),
  );
  unwrapOk(await api.signIn({ connectionId: connection.id, credentials: { method: 'password', email: server.admin.email, password: server.admin.password } }));
});
afterAll(async () => {
  await server.stop();
});

describe('enrollment over IPC', () => {
  it('creates a clinic, invites a clinician into it and enrolls a patient; the clinician sees exactly that patient', async () => {
    const clinic = unwrapOk(await api.createClinic({ name: 'Uptown Clinic', identifier: { system: 'https://riverbend.example/clinic', value: 'UP-1' } }));
    expect(clinic.summary).toContain('Uptown Clinic was created');
    const other = unwrapOk(await api.createClinic({ name: 'Harbor Clinic' })).value;

    const invited = unwrapOk(
      await api.createClinician({ givenName: 'Jane', familyName: 'Smith', email: 'jane.smith@riverbend.example', npi: '1234567893', clinicIds: [clinic.value.id], sendInvite: false }),
    );
    expect(invited.value).toMatchObject({ name: 'Jane Smith', npi: '1234567893', clinics: [{ id: clinic.value.id, name: 'Uptown Clinic' }] });
    expect(invited.summary).toBe('Jane Smith was invited (no invitation email yet: send it from their page) and can see the patients of Uptown Clinic.');

    const patient = unwrapOk(
      await api.createPatient({ givenName: 'Ada', familyName: 'Lovelace', birthDate: '1990-12-10', gender: 'female', mrn: 'MRN-001', clinicIds: [clinic.value.id] }),
    );
    expect(patient.value).toMatchObject({ name: 'Ada Lovelace', mrn: 'MRN-001', clinics: [{ name: 'Uptown Clinic' }] });
    const bob = unwrapOk(await api.createPatient({ givenName: 'Bob', familyName: 'Harbor', birthDate: '1980-01-01', mrn: 'MRN-002', clinicIds: [other.id] })).value;

    const page = unwrapOk(await api.listClinicPatients({ clinicId: clinic.value.id, offset: 0, count: 50 }));
    expect(page.total).toBe(1);
    const summaries = unwrapOk(await api.listClinics());
    expect(summaries.find((summary) => summary.id === clinic.value.id)).toMatchObject({ clinicianCount: 1, patientCount: 1 });

    // Jane sets her password (what the invitation email is for), signs in, and sees Uptown's patient only.
    expect(await server.setUserPassword('jane.smith@riverbend.example', 'janes-own-password')).toBe(true);
    const jane = await signIn(server, 'jane.smith@riverbend.example', 'janes-own-password', server.projectId);
    const seen = (await jane.searchResources('Patient', {}, { cache: 'no-cache' })).map((p) => p.id);
    expect(seen).toEqual([patient.value.id]);
    const admin = await signInAsAdmin(server);

    // Moving the clinician to Harbor: the server's membership afterwards grants Harbor only.
    const moved = unwrapOk(await api.setClinicianClinics({ practitionerId: invited.value.practitionerId, add: [other.id], remove: [clinic.value.id] }));
    expect(moved.value.clinics.map((c) => c.name)).toEqual(['Harbor Clinic']);
    expect(moved.summary).toBe('Jane Smith can now see the patients of Harbor Clinic and no longer sees the patients of Uptown Clinic.');
    const memberships = await admin.searchResources('ProjectMembership', { profile: `Practitioner/${invited.value.practitionerId}` }, { cache: 'no-cache' });
    expect(memberships).toHaveLength(1);
    expect(memberships[0]?.access?.map((entry) => entry.parameter?.[0]?.valueReference?.reference)).toEqual([`Organization/${other.id}`]);
    expect(memberships[0]?.accessPolicy?.reference).toMatch(/^AccessPolicy\//);
    // Her token already issued now shows Harbor's patient instead of Uptown's.
    expect((await jane.searchResources('Patient', {}, { cache: 'no-cache' })).map((p) => p.id)).toEqual([bob.id]);

    const activity = unwrapOk(await api.listActivity({ offset: 0, count: 50 }));
    expect(activity.entries.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['clinic.create', 'clinician.create', 'patient.create', 'clinician.change-clinics']),
    );
    // References only: no names, birth dates or MRNs in the log.
    const logged = JSON.stringify(activity.entries);
    for (const value of ['Ada', 'Lovelace', '1990-12-10', 'MRN-001', 'Jane', 'Smith']) expect(logged).not.toContain(value);
  });

  it('adds and removes a clinic identifier, as the server then holds', async () => {
    const clinic = unwrapOk(await api.createClinic({ name: 'Identified Clinic' })).value;
    const identifier = { system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' };
    const added = unwrapOk(await api.addClinicIdentifier({ clinicId: clinic.id, identifier }));
    expect(added.value.identifiers).toEqual([identifier]);
    const admin = await signInAsAdmin(server);
    expect((await admin.readResource('Organization', clinic.id, { cache: 'no-cache' })).identifier).toEqual([identifier]);
    unwrapOk(await api.removeClinicIdentifier({ clinicId: clinic.id, identifier }));
    expect((await admin.readResource('Organization', clinic.id, { cache: 'no-cache' })).identifier ?? []).toEqual([]);
  });

  it('moves a patient between clinics and records consent', async () => {
    const a = unwrapOk(await api.createClinic({ name: 'North' })).value;
    const b = unwrapOk(await api.createClinic({ name: 'South' })).value;
    const patient = unwrapOk(await api.createPatient({ givenName: 'Cy', familyName: 'Moved', birthDate: '2001-02-03', mrn: 'MRN-100', clinicIds: [a.id] })).value;
    const result = unwrapOk(await api.setPatientClinics({ patientId: patient.id, add: [b.id], remove: [a.id] }));
    expect(result.value.clinics.map((clinic) => clinic.name)).toEqual(['South']);
    const admin = await signInAsAdmin(server);
    const stored = await admin.readResource('Patient', patient.id, { cache: 'no-cache' });
    expect(stored.meta?.accounts?.map((account) => account.reference)).toEqual([`Organization/${b.id}`]);

    const consented = unwrapOk(await api.setPatientConsent({ patientId: patient.id, granted: true }));
    const withConsent = await admin.readResource('Patient', patient.id, { cache: 'no-cache' });
    expect(withConsent.meta?.accounts?.some((account) => account.reference?.startsWith('Consent/'))).toBe(true);
    expect(consented.summary).toContain('consent is recorded');
    unwrapOk(await api.setPatientConsent({ patientId: patient.id, granted: false }));
    const withdrawn = await admin.readResource('Patient', patient.id, { cache: 'no-cache' });
    expect(withdrawn.meta?.accounts?.map((account) => account.reference)).toEqual([`Organization/${b.id}`]);
  });

  it('refuses changes from a member who is not a project administrator, and writes nothing', async () => {
    const admin = await signInAsAdmin(server);
    const clinic = unwrapOk(await api.createClinic({ name: 'Readonly Clinic' })).value;
    const clinician = await createClinician(server, admin, [await admin.readResource('Organization', clinic.id)]);
    const memberMain = createTestMain();
    const memberApi = createDirectApi(memberMain);
    const connection = unwrapOk(
      await memberApi.saveConnection({
        connection: { name: 'Member', baseUrl: server.baseUrl, projectId: server.projectId, mrnSystem: MRN_SYSTEM, isolationMode: 'shared-membership', signIn: { method: 'password' } },
      }),
    );
    const session = unwrapOk(
      await memberApi.signIn({ connectionId: connection.id, credentials: { method: 'password', email: clinician.email, password: clinician.password } }),
    );
    expect(session).toMatchObject({ status: 'signed-in', session: { isProjectAdmin: false } });
    const before = (await admin.searchResources('Organization', { _count: '1000' }, { cache: 'no-cache' })).length;
    const refused = await memberApi.createClinic({ name: 'Should not exist' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('not an administrator') } });
    expect((await admin.searchResources('Organization', { _count: '1000' }, { cache: 'no-cache' })).length).toBe(before);
  });

  it('rejects malformed requests before any handler runs', async () => {
    const bad = await api.createPatient({ givenName: 'X', familyName: 'Y', birthDate: '2999-01-01', mrn: 'has space', clinicIds: [] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    if (!bad.ok) {
      expect(bad.error.message).toContain('birthDate');
      expect(bad.error.message).toContain('mrn');
    }
    const badNpi = await api.createClinician({ givenName: 'A', familyName: 'B', email: 'a@b.example', npi: '1234567890', clinicIds: [], sendInvite: false });
    expect(badNpi).toMatchObject({ ok: false, error: { code: 'invalid_argument', message: expect.stringContaining('npi') } });
  });
});

describe('read proxy for @medplum/react', () => {
  it('reads a FHIR resource with main adding the token, and refuses anything else', async () => {
    const clinic = unwrapOk(await api.createClinic({ name: 'Proxy Clinic' })).value;
    const read = unwrapOk(await api.medplumRead({ url: `${server.baseUrl}fhir/R4/Organization/${clinic.id}` }));
    expect(read.status).toBe(200);
    expect(JSON.parse(read.body)).toMatchObject({ resourceType: 'Organization', name: 'Proxy Clinic' });
    expect(JSON.stringify(read)).not.toContain(main.sessions.client().getAccessToken() as string);
    for (const url of [`${server.baseUrl}admin/projects/${server.projectId}`, `${server.baseUrl}fhir/R4/ClientApplication`, `${server.baseUrl}fhir/R4/Project/${server.projectId}`]) {
      expect(await api.medplumRead({ url })).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    }
  });
});

describe('bulk enrollment as a long job', () => {
  async function finalOf(jobId: string) {
    for (let waited = 0; waited < 20_000; waited += 20) {
      const last = main.progress.filter((event) => event.jobId === jobId).at(-1);
      if (last && last.state !== 'running') return last;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the job did not finish');
  }

  it('enrolls every chosen patient, reporting progress, and says what it did', async () => {
    const clinic = unwrapOk(await api.createClinic({ name: 'Bulk Clinic' })).value;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(unwrapOk(await api.createPatient({ givenName: 'Bulk', familyName: `Person${i}`, birthDate: '1990-01-01', mrn: `BULK-${i}`, clinicIds: [] })).value.id);
    }
    const { jobId } = unwrapOk(await api.enrollInClinic({ clinicId: clinic.id, kind: 'patients', ids }));
    const last = await finalOf(jobId);
    expect(last).toMatchObject({ state: 'succeeded', done: 5, total: 5, message: '5 patients enrolled in Bulk Clinic.' });
    expect(main.progress.filter((event) => event.jobId === jobId).length).toBeGreaterThanOrEqual(2);
    const page = unwrapOk(await api.listClinicPatients({ clinicId: clinic.id, offset: 0, count: 50 }));
    expect(page.patients.map((patient) => patient.id).sort()).toEqual([...ids].sort());
  });

  it('stops between people when cancelled, keeping what was done and saying so', async () => {
    const clinic = unwrapOk(await api.createClinic({ name: 'Cancel Clinic' })).value;
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      ids.push(unwrapOk(await api.createPatient({ givenName: 'Stop', familyName: `Person${i}`, birthDate: '1990-01-01', mrn: `STOP-${i}`, clinicIds: [] })).value.id);
    }
    const { jobId } = unwrapOk(await api.enrollInClinic({ clinicId: clinic.id, kind: 'patients', ids }));
    expect(unwrapOk(await api.cancelJob({ jobId }))).toEqual({ cancelled: true });
    const last = await finalOf(jobId);
    expect(last.state).toBe('cancelled');
    expect(last.done).toBeLessThan(30);
    expect(last.message).toContain('stopped on request');
    const page = unwrapOk(await api.listClinicPatients({ clinicId: clinic.id, offset: 0, count: 50 }));
    // Exactly the people reported done are enrolled: nothing half-done, nothing beyond.
    expect(page.total).toBe(last.done);
  });

  it('records a person who cannot be enrolled and carries on with the rest', async () => {
    const clinic = unwrapOk(await api.createClinic({ name: 'Partial Clinic' })).value;
    const good = unwrapOk(await api.createPatient({ givenName: 'Good', familyName: 'One', birthDate: '1990-01-01', mrn: 'PART-1', clinicIds: [] })).value.id;
    const { jobId } = unwrapOk(await api.enrollInClinic({ clinicId: clinic.id, kind: 'patients', ids: ['does-not-exist', good] }));
    const last = await finalOf(jobId);
    expect(last).toMatchObject({ state: 'succeeded', done: 2, message: '1 patient enrolled in Partial Clinic; 1 patient could not be enrolled (Activity says why).' });
    const activity = unwrapOk(await api.listActivity({ offset: 0, count: 10 }));
    expect(activity.entries.some((entry) => entry.result === 'failed' && entry.targets.includes('Patient/does-not-exist'))).toBe(true);
  });
});

describe('patient lists sort on the server', () => {
  it('by name either way and by birth date either way, across pages', async () => {
    const clinic = unwrapOk(await api.createClinic({ name: 'Sorted Clinic' })).value;
    const people = [
      ['Cara', 'Mills', '1970-05-05'],
      ['Abe', 'Zane', '2001-01-01'],
      ['Bea', 'Adler', '1985-03-03'],
    ] as const;
    for (const [given, family, birthDate] of people) {
      unwrapOk(await api.createPatient({ givenName: given, familyName: family, birthDate, mrn: `SORT-${family}`, clinicIds: [clinic.id] }));
    }
    const order = async (sort: 'name' | '-name' | 'birthdate' | '-birthdate') => {
      const first = unwrapOk(await api.listClinicPatients({ clinicId: clinic.id, offset: 0, count: 2, sort }));
      const second = unwrapOk(await api.listClinicPatients({ clinicId: clinic.id, offset: 2, count: 2, sort }));
      return [...first.patients, ...second.patients].map((patient) => patient.name);
    };
    expect(await order('name')).toEqual(['Bea Adler', 'Cara Mills', 'Abe Zane']);
    expect(await order('-name')).toEqual(['Abe Zane', 'Cara Mills', 'Bea Adler']);
    expect(await order('birthdate')).toEqual(['Cara Mills', 'Bea Adler', 'Abe Zane']);
    expect(await order('-birthdate')).toEqual(['Abe Zane', 'Bea Adler', 'Cara Mills']);
  });
});
