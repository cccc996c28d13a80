/**
 * The audit channels end to end in main (renderer API → dispatcher → handlers → the test backend
 * over HTTP): "view as clinician" checked against the clinician's own sign-in, effective access,
 * a repair run as a job with its progress events and activity entry, and the exports.
 */
import type { MedplumClient, WithId } from '@medplum/core';
import type { AccessPolicy, Organization, Patient, ProjectMembership } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { MsoApi } from '../../../preload/api/create-api';
import { accessEntry } from '../../../main/engines/access-list';
import { ensureUniversalConsent } from '../../../main/engines/consent';
import { installMsoPolicy } from '../../../main/engines/install-policy';
import { grantConsent } from '../../../main/engines/patients';
import { type TestBackend, startTestBackend } from '../../support/backend';
import { engineContext, visiblePatientIds } from '../../support/engine';
import { auditOverIpc, jobEnd } from '../../support/audit';
import { unwrapOk } from '../../support/envelope';
import { type TestMain, createDirectApi, createTestMain, signInOverIpc } from '../../support/ipc';
import { type TestClinician, createClinic, createClinician, createPatientInClinics, msoPolicyReference, signInAsAdmin } from '../../support/local-server';

let server: TestBackend;
let main: TestMain;
let api: MsoApi;
let admin: MedplumClient;
let clinicA: WithId<Organization>;
let clinicB: WithId<Organization>;
let inA: WithId<Patient>[];
let inB: WithId<Patient>;
let alice: TestClinician;

beforeAll(async () => {
  server = await startTestBackend();
  main = createTestMain();
  api = createDirectApi(main);
  await signInOverIpc(api, server, server.admin, 'Audit');
  admin = await signInAsAdmin(server);
  clinicA = await createClinic(admin, `View A ${Date.now()}`);
  clinicB = await createClinic(admin, `View B ${Date.now()}`);
  inA = [await createPatientInClinics(admin, [clinicA]), await createPatientInClinics(admin, [clinicA, clinicB])];
  inB = await createPatientInClinics(admin, [clinicB]);
  alice = await createClinician(server, admin, [clinicA]);
});
afterAll(async () => {
  await server.stop();
});

const practitionerIdOf = (c: TestClinician) => (c.practitioner.reference ?? '').split('/')[1] ?? '';

describe('view as clinician', () => {
  test('the computed list, the server’s answer on behalf of the membership and the clinician’s own sign-in agree', async () => {
    const view = unwrapOk(await api.viewAsClinician({ practitionerId: practitionerIdOf(alice) }));
    expect(view.memberships).toHaveLength(1);
    const [m] = view.memberships;
    const expected = inA.map((p) => `Patient/${p.id}`).sort();
    expect(m?.computed.patients.map((p) => p.reference).sort()).toEqual(expected);
    expect(m?.observed.status).toBe('verified');
    if (m?.observed.status !== 'verified') return;
    expect(m.observed.patients.map((p) => p.reference).sort()).toEqual(expected);
    // The server's own answer to the clinician signed in as themselves.
    expect((await visiblePatientIds(alice.client)).map((id) => `Patient/${id}`)).toEqual(expected);
    expect(m.difference).toEqual({ onlyComputed: [], onlyObserved: [] });
    expect(view.findings).toEqual([]);
    expect(m.observed.patients[0]?.label).toMatch(/^Test Patient/);
  });

  test('access opened by another policy shows as a difference and as a patient of another clinic (critical)', async () => {
    const open = await admin.createResource<AccessPolicy>({ resourceType: 'AccessPolicy', name: 'Open patients', resource: [{ resourceType: 'Patient' }] });
    const bob = await createClinician(server, admin, [clinicA]);
    const m = await admin.readResource('ProjectMembership', bob.membership.id, { cache: 'no-cache' } as RequestInit);
    await admin.updateResource<ProjectMembership>({ ...m, access: [...(m.access ?? []), accessEntry({ reference: `AccessPolicy/${open.id}` }, { reference: `Organization/${clinicA.id}` })] });
    const view = unwrapOk(await api.viewAsClinician({ practitionerId: practitionerIdOf(bob) }));
    const [row] = view.memberships;
    expect(row?.difference?.onlyObserved.map((p) => p.reference)).toContain(`Patient/${inB.id}`);
    expect(view.findings.map((f) => [f.kind, f.severity]).sort()).toEqual([
      ['sees-other-clinic-patient', 'critical'],
      ['view-as-difference', 'critical'],
    ]);
    expect((await visiblePatientIds(bob.client))).toContain(inB.id);
    await admin.updateResource<ProjectMembership>({ ...m, meta: undefined });
    await admin.deleteResource('AccessPolicy', open.id);
  });

  test('under the consent-gated variant the computed list keeps only consenting patients, as the server does', async () => {
    const ctx = engineContext(server, admin);
    const consent = await ensureUniversalConsent(ctx);
    await installMsoPolicy(ctx, { kind: 'consent-gated', consent: { reference: `Consent/${consent.id}` } });
    const first = inA[0] as WithId<Patient>;
    await grantConsent(ctx, first.id, { reference: `Consent/${consent.id}` });
    try {
      const [m] = unwrapOk(await api.viewAsClinician({ practitionerId: practitionerIdOf(alice) })).memberships;
      expect(m?.computed.patients.map((p) => p.reference)).toEqual([`Patient/${first.id}`]);
      expect(m?.observed).toMatchObject({ status: 'verified', count: 1 });
      expect(await visiblePatientIds(alice.client)).toEqual([first.id]);
      // Who can see a patient follows the variant too.
      expect(unwrapOk(await api.getPatientAccess({ patientId: first.id })).clinicians.map((c) => c.membershipId)).toContain(alice.membership.id);
      const without = unwrapOk(await api.getPatientAccess({ patientId: (inA[1] as WithId<Patient>).id }));
      expect(without.clinicians).toEqual([]);
      expect(without.variantNote).toContain('consent');
    } finally {
      await installMsoPolicy(ctx);
    }
  });
});

describe('when the server cannot answer', () => {
  test('an access entry naming a deleted policy: the server refuses to act as the membership, the view says why and keeps the computed list', async () => {
    const gone = await admin.createResource<AccessPolicy>({ resourceType: 'AccessPolicy', name: 'Soon deleted', resource: [{ resourceType: 'Patient', criteria: 'Patient?_compartment=%organization' }] });
    const dan = await createClinician(server, admin, [clinicA]);
    const m = await admin.readResource('ProjectMembership', dan.membership.id, { cache: 'no-cache' } as RequestInit);
    await admin.updateResource<ProjectMembership>({ ...m, access: [...(m.access ?? []), accessEntry({ reference: `AccessPolicy/${gone.id}` }, { reference: `Organization/${clinicB.id}` })] });
    await admin.deleteResource('AccessPolicy', gone.id);
    const [row] = unwrapOk(await api.viewAsClinician({ practitionerId: practitionerIdOf(dan) })).memberships;
    expect(row?.computed.patients.map((p) => p.reference).sort()).toEqual(inA.map((p) => `Patient/${p.id}`).sort());
    expect(row?.observed.status).toBe('unverified');
    expect(row?.observed.status === 'unverified' && row.observed.reason).toMatch(/^The server cannot build this membership’s access .* Only the computed answer is shown/);
    expect(row?.difference).toBeNull();
    // What the server tells the clinician: they cannot work at all until it is fixed.
    await expect(dan.client.searchResources('Patient', {}, { cache: 'no-cache' } as RequestInit)).rejects.toThrow();
    const report = await auditOverIpc(api, main);
    expect(report.findings.find((f) => f.id === `foreign-policy-access-entry:ProjectMembership/${dan.membership.id}`)?.severity).toBe('critical');
  });

  test('a project administrator who is also a clinician is a warning with steps for a person', async () => {
    const boss = (await admin.invite(server.projectId, {
      resourceType: 'Practitioner', firstName: 'Head', lastName: `Admin${Date.now()}`, email: `boss.${Date.now()}@example.test`, sendEmail: false, scope: 'project', admin: true,
      membership: { admin: true, accessPolicy: msoPolicyReference(server), access: [accessEntry(msoPolicyReference(server), { reference: `Organization/${clinicA.id}` })] },
    } as Parameters<MedplumClient['invite']>[1])) as WithId<ProjectMembership>;
    expect(boss.admin).toBe(true);
    const found = (await auditOverIpc(api, main)).findings.find((f) => f.id === `admin-is-clinician:ProjectMembership/${boss.id}`);
    expect(found).toMatchObject({ severity: 'warning', fix: { repair: null } });
    expect(found?.fix.steps.length).toBeGreaterThan(0);
    expect((await api.previewRepair({ findingId: found?.id ?? '' })).ok).toBe(false);
  });
});

describe('who may audit', () => {
  test('a clinician signed in to the console is refused every audit channel', async () => {
    const other = createTestMain();
    const clinicianApi = createDirectApi(other);
    await signInOverIpc(clinicianApi, server, alice, 'As clinician');
    for (const answer of [await clinicianApi.runAudit(), await clinicianApi.viewAsClinician({ practitionerId: practitionerIdOf(alice) }), await clinicianApi.getPatientAccess({ patientId: inB.id })]) {
      expect(answer.ok ? 'ok' : answer.error.code).toBe('forbidden');
    }
  });
});

describe('effective access', () => {
  test('a clinician, a patient and a clinic, with counts', async () => {
    const clinician = unwrapOk(await api.getClinicianAccess({ practitionerId: practitionerIdOf(alice) }));
    expect(clinician.patientCount).toBe(2);
    expect(clinician.memberships).toMatchObject([{ membershipId: alice.membership.id, basePolicyIsMso: true, grantsWholeProject: false, patientCount: 2, clinics: [{ clinic: { reference: `Organization/${clinicA.id}`, label: clinicA.name }, active: true, msoPolicy: true, patientCount: 2 }] }]);
    // Two clinics: the patient in both is counted once (one search with the clinics OR-ed).
    const both = await createClinician(server, admin, [clinicA, clinicB]);
    const wide = unwrapOk(await api.getClinicianAccess({ practitionerId: practitionerIdOf(both) }));
    expect(wide.memberships[0]?.clinics.map((c) => c.patientCount)).toEqual([2, 2]);
    expect(wide.patientCount).toBe(3);
    expect((await visiblePatientIds(both.client)).length).toBe(3);
    const shared = inA[1] as WithId<Patient>;
    const patient = unwrapOk(await api.getPatientAccess({ patientId: shared.id }));
    expect(patient.clinics.map((c) => c.clinic.reference).sort()).toEqual([`Organization/${clinicA.id}`, `Organization/${clinicB.id}`].sort());
    expect(patient.clinicians.map((c) => c.membershipId)).toContain(alice.membership.id);
    const onlyB = unwrapOk(await api.getPatientAccess({ patientId: inB.id }));
    expect(onlyB.clinicians.map((c) => c.membershipId)).not.toContain(alice.membership.id);
    const clinic = unwrapOk(await api.getClinicAccess({ clinicId: clinicA.id }));
    expect(clinic.patientCount).toBe(2);
    expect(clinic.clinicians.map((c) => c.membershipId)).toContain(alice.membership.id);
    expect(clinic.patients.map((p) => p.reference).sort()).toEqual(inA.map((p) => `Patient/${p.id}`).sort());
  });
});

describe('audit over IPC', () => {
  test('run, preview, repair as a job (progress events, activity), audit again, export', async () => {
    const carol = await createClinician(server, admin, [clinicB]);
    const m = await admin.readResource('ProjectMembership', carol.membership.id, { cache: 'no-cache' } as RequestInit);
    await admin.updateResource<ProjectMembership>({ ...m, accessPolicy: undefined });
    const id = `base-policy-not-mso:ProjectMembership/${carol.membership.id}`;
    const report = await auditOverIpc(api, main);
    expect(report.findings.map((f) => f.id)).toContain(id);
    expect(report.requests).toBeGreaterThan(0);
    expect(unwrapOk(await api.getAuditReport())?.ranAt).toBe(report.ranAt);

    const preview = unwrapOk(await api.previewRepair({ findingId: id }));
    expect(preview.changeCount).toBe(1);
    expect(preview.changes[0]?.change).toBe('base policy: none → the MSO policy');
    const { jobId } = unwrapOk(await api.applyRepair({ previewId: preview.previewId }));
    await expect.poll(() => main.progress.find((p) => p.jobId === jobId && p.state !== 'running')?.state, { timeout: 20_000 }).toBe('succeeded');
    expect(main.progress.filter((p) => p.jobId === jobId).at(-1)?.message).toBe('1 membership repaired. Run the audit again to check.');
    // A preview is used once.
    expect((await api.applyRepair({ previewId: preview.previewId })).ok).toBe(false);
    expect((await admin.readResource('ProjectMembership', carol.membership.id, { cache: 'no-cache' } as RequestInit)).accessPolicy?.reference).toBe(msoPolicyReference(server).reference);
    const activity = unwrapOk(await api.listActivity({ offset: 0, count: 50, action: 'audit.set-base-policy' }));
    expect(activity.entries.map((e) => [e.result, e.targets[0]])).toEqual([['ok', `ProjectMembership/${carol.membership.id}`]]);
    expect((await auditOverIpc(api, main)).findings.map((f) => f.id)).not.toContain(id);

    const csv = unwrapOk(await api.exportAudit({ format: 'csv' }));
    expect(csv.mimeType).toBe('text/csv');
    expect(csv.content.split('\r\n')[0]).toBe('severity,kind,title,explanation,concerns,concern count,fix,finding id');
    const html = unwrapOk(await api.exportAudit({ format: 'html' }));
    expect(html.content).toContain('<h1>Access audit of');
    expect(html.content).not.toContain('<script');
  });
});

describe('when the MSO policy itself is gone', () => {
  test('installing it again is a repair, and then every membership is moved onto the new policy', async () => {
    const old = msoPolicyReference(server).reference ?? '';
    await admin.deleteResource('AccessPolicy', old.split('/')[1] ?? '');
    const report = await auditOverIpc(api, main);
    expect(report.findings[0]).toMatchObject({ id: 'policy-not-installed:project', severity: 'critical', fix: { repair: 'install-policy' } });
    const preview = unwrapOk(await api.previewRepair({ findingId: 'policy-not-installed:project' }));
    expect(preview.changes.map((c) => c.change)).toEqual(['created']);
    const { jobId } = unwrapOk(await api.applyRepair({ previewId: preview.previewId }));
    await expect.poll(() => main.progress.find((p) => p.jobId === jobId && p.state !== 'running')?.state, { timeout: 20_000 }).toBe('succeeded');
    const after = await auditOverIpc(api, main);
    expect(after.policyVariant).toBe('standard');
    // Alice's access and base policy still name the deleted policy: both are findings with a repair.
    const hers = after.findings.filter((f) => f.id.endsWith(`ProjectMembership/${alice.membership.id}`)).map((f) => f.kind).sort();
    expect(hers).toEqual(['base-policy-not-mso', 'foreign-policy-access-entry']);
    for (const kind of hers) {
      const fix = unwrapOk(await api.previewRepair({ findingId: `${kind}:ProjectMembership/${alice.membership.id}` }));
      const job = unwrapOk(await api.applyRepair({ previewId: fix.previewId }));
      await expect.poll(() => main.progress.find((p) => p.jobId === job.jobId && p.state !== 'running')?.state, { timeout: 20_000 }).toBe('succeeded');
    }
    const fresh = (await auditOverIpc(api, main)).findings.filter((f) => f.id.endsWith(`ProjectMembership/${alice.membership.id}`));
    expect(fresh).toEqual([]);
    // And the server agrees: she sees her clinic's patients again.
    expect(await visiblePatientIds(alice.client)).toEqual(inA.map((p) => p.id).sort());
  });
});

describe('the audit as a job', () => {
  test('progress counts requests of the stated bound, and the finished job leaves its report to getAuditReport', async () => {
    const { jobId } = unwrapOk(await api.runAudit());
    const end = await jobEnd(main, jobId);
    expect(end).toMatchObject({ kind: 'access-audit', state: 'succeeded' });
    const events = main.progress.filter((p) => p.jobId === jobId);
    const counted = events.filter((p) => p.total !== null);
    expect(counted.length).toBeGreaterThan(0);
    // The bound is known after the first request (the batch of counts) and never below what was done.
    const bound = counted[0]?.total ?? 0;
    expect(bound).toBeGreaterThanOrEqual(19);
    for (const p of counted) expect(p.done).toBeLessThanOrEqual(p.total ?? 0);
    const report = unwrapOk(await api.getAuditReport());
    expect(report?.requests).toBe(end.done);
    expect(report?.requests).toBeLessThanOrEqual(bound);
    const match = /^Audit finished in (\d+) requests: (\d+) critical findings?, (\d+) warnings?, (\d+) notices?\.$/.exec(end.message);
    expect(match?.slice(1).map(Number)).toEqual([report?.requests, report?.counts.critical, report?.counts.warning, report?.counts.notice]);
  });

  test('Cancel ends it cancelled between page reads, and the previous report stays', async () => {
    const before = await auditOverIpc(api, main);
    const { jobId } = unwrapOk(await api.runAudit());
    // A second Run while it runs follows the same job.
    expect(unwrapOk(await api.runAudit()).jobId).toBe(jobId);
    expect(unwrapOk(await api.cancelJob({ jobId })).cancelled).toBe(true);
    const end = await jobEnd(main, jobId);
    expect(end.state).toBe('cancelled');
    expect(end.message).toMatch(/^Audit stopped after \d+ requests? of at most \d+\. Nothing was written; the previous report, if any, is kept\.$/);
    expect(end.done).toBeLessThan(before.requests);
    expect(unwrapOk(await api.getAuditReport())?.ranAt).toBe(before.ranAt);
    // And the next one runs afresh.
    expect((await auditOverIpc(api, main)).ranAt).not.toBe(before.ranAt);
  });
});
