/**
 * Issue 12 on a live server (local or, on the real tier, Medplum 5.0.10): each unsafe situation is
 * built over HTTP, the audit finds it, its repair (previewed, then run as a job) fixes it on the
 * server, and the next audit no longer lists it. A clean project gives no findings.
 */
import type { MedplumClient, WithId } from '@medplum/core';
import type { AccessPolicy, Observation, Organization, Patient, ProjectMembership } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AuditReport } from '../../../preload/api/schemas/audit';
import { AuditReader } from '../../../main/audit/audit-reader';
import { planRepair } from '../../../main/audit/repairs';
import { type AuditRun, runAudit } from '../../../main/audit/run-audit';
import { accessEntry } from '../../../main/engines/access-list';
import { JobRegistry } from '../../../main/jobs/job-registry';
import type { TestBackend } from '../../support/backend';
import { startTestBackend } from '../../support/backend';
import { engineContext } from '../../support/engine';
import { createClinic, createClinician, createPatientInClinics, msoPolicyReference, signInAsAdmin } from '../../support/local-server';

let server: TestBackend;
let admin: MedplumClient;
let clinicA: WithId<Organization>;
let clinicB: WithId<Organization>;
let patientA: WithId<Patient>;
let patientB: WithId<Patient>;
const jobs = new JobRegistry({ publish: () => undefined });

async function audit(): Promise<AuditRun> {
  return runAudit({ reader: new AuditReader(admin), projectId: server.projectId, projectName: 'audit test' });
}

function ids(report: AuditReport): string[] {
  return report.findings.map((f) => f.id);
}

/** Previews the finding's fix, runs it as a job, and returns the preview and the closing sentence. */
async function repair(run: AuditRun, findingId: string) {
  const ctx = engineContext(server, admin);
  const planned = planRepair(run, findingId, msoPolicyReference(server).reference);
  const sentence = await jobs.start('audit-repair', (job) => planned.apply(ctx, job)).result;
  return { preview: planned.preview, sentence, activity: ctx.activity };
}

function membershipOf(c: { membership: WithId<ProjectMembership> }): Promise<WithId<ProjectMembership>> {
  return admin.readResource('ProjectMembership', c.membership.id, { cache: 'no-cache' } as RequestInit);
}

beforeAll(async () => {
  server = await startTestBackend();
  admin = await signInAsAdmin(server);
  clinicA = await createClinic(admin, `Audit A ${Date.now()}`);
  clinicB = await createClinic(admin, `Audit B ${Date.now()}`);
  patientA = await createPatientInClinics(admin, [clinicA]);
  patientB = await createPatientInClinics(admin, [clinicB]);
  await createClinician(server, admin, [clinicA]);
});
afterAll(async () => {
  await server.stop();
});

describe('access audit over HTTP', () => {
  test('cross-clinic writes: found, the hardening closes them on the server, and then a clean project gives no findings', async () => {
    const writer = await createClinician(server, admin, [clinicA]);
    // Before: Medplum lets a clinic-A clinician write on a clinic-B patient they cannot read.
    const before = await writer.client.createResource<Observation>({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: `Patient/${patientB.id}` } });
    expect(before.id).toBeTruthy();
    await admin.deleteResource('Observation', before.id);

    const first = await audit();
    // A new project on a real Medplum has a default ClientApplication whose membership has no
    // policy: it sees the whole project. The audit says so and leaves the fix to a person.
    const clients = first.snapshot.memberships.filter((m) => m.profile?.reference?.startsWith('ClientApplication/') && !m.accessPolicy && !m.access?.length && !m.admin);
    expect(ids(first.report).sort()).toEqual(['cross-clinic-writes:project', ...clients.map((m) => `whole-project-membership:ProjectMembership/${m.id}`)].sort());
    for (const m of clients) {
      expect(first.report.findings.find((f) => f.id === `whole-project-membership:ProjectMembership/${m.id}`)?.fix.repair).toBeNull();
      await admin.updateResource<ProjectMembership>({ ...m, accessPolicy: msoPolicyReference(server) });
    }
    const { preview, activity } = await repair(first, 'cross-clinic-writes:project');
    expect(preview.changes).toEqual([{ record: expect.objectContaining({ reference: msoPolicyReference(server).reference }), change: 'compartment: %organization → none' }]);
    expect(activity.entries.map((e) => [e.action, e.result])).toEqual([['audit.harden-policy', 'ok']]);

    // After: the write on the other clinic's patient is refused, the one on their own patient still works.
    await expect(writer.client.createResource<Observation>({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: `Patient/${patientB.id}` } })).rejects.toThrow();
    const own = await writer.client.createResource<Observation>({ resourceType: 'Observation', status: 'final', code: { text: 'y' }, subject: { reference: `Patient/${patientA.id}` } });
    expect(own.meta?.accounts?.map((a) => a.reference)).toEqual([`Organization/${clinicA.id}`]);

    const clean = await audit();
    expect(clean.report.findings).toEqual([]);
    expect(clean.report.counts).toEqual({ critical: 0, warning: 0, notice: 0 });
    expect(clean.report.policyVariant).toBe('standard');
  });

  test('a membership with no policy and no clinics (the whole project) gets the MSO base policy', async () => {
    const c = await createClinician(server, admin, []);
    await admin.updateResource<ProjectMembership>({ ...(await membershipOf(c)), accessPolicy: undefined, access: undefined });
    const run = await audit();
    const id = `whole-project-membership:ProjectMembership/${c.membership.id}`;
    expect(run.report.findings.find((f) => f.id === id)?.severity).toBe('critical');
    // The clinician really sees the other clinics' patients now.
    const seen = await c.client.searchResources('Patient', { _count: '100' }, { cache: 'no-cache' } as RequestInit);
    expect(seen.map((p) => p.id)).toEqual(expect.arrayContaining([patientA.id, patientB.id]));
    await repair(run, id);
    expect((await membershipOf(c)).accessPolicy?.reference).toBe(msoPolicyReference(server).reference);
    expect((await c.client.searchResources('Patient', {}, { cache: 'no-cache' } as RequestInit)).map((p) => p.id)).toEqual([]);
    expect(ids((await audit()).report)).not.toContain(id);
  });

  test('clinics but no base policy: critical, and the repair keeps the clinics', async () => {
    const c = await createClinician(server, admin, [clinicA]);
    await admin.updateResource<ProjectMembership>({ ...(await membershipOf(c)), accessPolicy: undefined });
    const id = `base-policy-not-mso:ProjectMembership/${c.membership.id}`;
    const run = await audit();
    expect(run.report.findings.find((f) => f.id === id)?.severity).toBe('critical');
    await repair(run, id);
    const after = await membershipOf(c);
    expect(after.accessPolicy?.reference).toBe(msoPolicyReference(server).reference);
    expect(after.access?.length).toBe(1);
    expect(ids((await audit()).report)).not.toContain(id);
  });

  test('access to an inactive clinic is removed; access through another policy is moved to the MSO policy', async () => {
    const closed = await createClinic(admin, `Closed ${Date.now()}`);
    const c = await createClinician(server, admin, [clinicA, closed]);
    await admin.updateResource<Organization>({ ...closed, active: false });
    const other = await admin.createResource<AccessPolicy>({ resourceType: 'AccessPolicy', name: 'Other policy', resource: [{ resourceType: 'Patient' }] });
    const m = await membershipOf(c);
    await admin.updateResource<ProjectMembership>({ ...m, access: [...(m.access ?? []), accessEntry({ reference: `AccessPolicy/${other.id}` }, { reference: `Organization/${clinicB.id}` })] });
    const run = await audit();
    const stale = `stale-access-entry:ProjectMembership/${c.membership.id}`;
    const foreign = `foreign-policy-access-entry:ProjectMembership/${c.membership.id}`;
    expect(ids(run.report)).toEqual(expect.arrayContaining([stale, foreign]));
    const fixedStale = await repair(run, stale);
    expect(fixedStale.preview.changes[0]?.change).toContain('access removed');
    await repair(await audit(), foreign);
    const after = await membershipOf(c);
    expect(after.access?.map((e) => [e.policy?.reference, e.parameter?.[0]?.valueReference?.reference])).toEqual([
      [msoPolicyReference(server).reference, `Organization/${clinicA.id}`],
      [msoPolicyReference(server).reference, `Organization/${clinicB.id}`],
    ]);
    const next = ids((await audit()).report);
    expect(next).not.toContain(stale);
    expect(next).not.toContain(foreign);
    await admin.deleteResource('AccessPolicy', other.id);
  });

  test('an inactive sign-in that holds clinics loses them; several unlabelled memberships of one person get labels', async () => {
    const c = await createClinician(server, admin, [clinicA]);
    await admin.updateResource<ProjectMembership>({ ...(await membershipOf(c)), active: false });
    const second = (await admin.invite(server.projectId, {
      resourceType: 'Practitioner', firstName: 'Test', lastName: 'Twice', email: c.email, sendEmail: false, scope: 'project', forceNewMembership: true,
      membership: { profile: c.membership.profile, accessPolicy: msoPolicyReference(server), access: [accessEntry(msoPolicyReference(server), { reference: `Organization/${clinicB.id}` })] },
    } as Parameters<MedplumClient['invite']>[1])) as WithId<ProjectMembership>;
    const run = await audit();
    const inactive = `inactive-sign-in-holds-clinics:ProjectMembership/${c.membership.id}`;
    const unlabelled = run.report.findings.find((f) => f.kind === 'unlabelled-memberships' && f.concerns.some((x) => x.reference === `ProjectMembership/${second.id}`));
    expect(ids(run.report)).toContain(inactive);
    expect(unlabelled?.concernCount).toBe(2);
    await repair(run, inactive);
    expect((await membershipOf(c)).access ?? []).toEqual([]);
    await repair(await audit(), unlabelled?.id ?? '');
    const labelled = await admin.readResource('ProjectMembership', second.id, { cache: 'no-cache' } as RequestInit);
    expect(labelled.identifier).toEqual([{ system: 'https://medplum.com/identifier/label', value: clinicB.name }]);
    const next = ids((await audit()).report);
    expect(next).not.toContain(inactive);
    expect(next).not.toContain(unlabelled?.id);
  });

  test('compartment drift: records carrying other clinics than their patient are found per type and brought in line', async () => {
    const patient = await createPatientInClinics(admin, [clinicA]);
    const obs = await admin.createResource<Observation>({ resourceType: 'Observation', status: 'final', code: { text: 'bp' }, subject: { reference: `Patient/${patient.id}` } });
    expect(obs.meta?.accounts?.map((a) => a.reference)).toEqual([`Organization/${clinicA.id}`]);
    // An admin write that carries its own meta (extended mode) sets the accounts exactly.
    await admin.updateResource<Observation>({ ...obs, meta: { ...obs.meta, accounts: [{ reference: `Organization/${clinicB.id}` }], account: { reference: `Organization/${clinicB.id}` } } });
    const run = await audit();
    const drift = run.report.findings.find((f) => f.id === 'compartment-drift:project');
    expect(drift?.concerns.map((c) => c.reference)).toEqual([`Patient/${patient.id}`]);
    const { preview, sentence } = await repair(run, 'compartment-drift:project');
    expect(preview.changes).toEqual([{ record: expect.objectContaining({ reference: `Observation/${obs.id}` }), change: `clinics: ${clinicB.name} → ${clinicA.name}` }]);
    expect(sentence).toBe('1 record of 1 patient brought in line.');
    const fixed = await admin.readResource('Observation', obs.id, { cache: 'no-cache' } as RequestInit);
    expect(fixed.meta?.accounts?.map((a) => a.reference)).toEqual([`Organization/${clinicA.id}`]);
    expect(ids((await audit()).report)).not.toContain('compartment-drift:project');
  });

  test('a repair of many patients runs as a job that reports progress and stops between patients on Cancel', async () => {
    const drifted: WithId<Observation>[] = [];
    for (let i = 0; i < 3; i++) {
      const patient = await createPatientInClinics(admin, [clinicA]);
      const obs = await admin.createResource<Observation>({ resourceType: 'Observation', status: 'final', code: { text: 'bp' }, subject: { reference: `Patient/${patient.id}` } });
      drifted.push(await admin.updateResource<Observation>({ ...obs, meta: { ...obs.meta, accounts: [{ reference: `Organization/${clinicB.id}` }], account: { reference: `Organization/${clinicB.id}` } } }));
    }
    const run = await audit();
    expect(run.report.findings.find((f) => f.id === 'compartment-drift:project')?.concernCount).toBe(3);
    const planned = planRepair(run, 'compartment-drift:project', msoPolicyReference(server).reference);
    const events: { state: string; done: number; total: number | null; message: string }[] = [];
    let jobId = '';
    const registry = new JobRegistry({
      minIntervalMs: 0,
      publish: (p) => {
        events.push({ state: p.state, done: p.done, total: p.total, message: p.message });
        if (p.state === 'running' && p.done === 1) registry.cancel(jobId);
      },
    });
    const handle = registry.start('audit-repair', (job) => planned.apply(engineContext(server, admin), job), { describe: (sentence) => sentence });
    jobId = handle.jobId;
    await handle.result;
    expect(events.at(-1)).toMatchObject({ state: 'cancelled', done: 1, total: 3, message: 'Stopped: 1 record of 1 patient brought in line; 2 patients were not reached and are left.' });
    const left = await Promise.all(drifted.map((o) => admin.readResource('Observation', o.id, { cache: 'no-cache' } as RequestInit)));
    expect(left.filter((o) => o.meta?.accounts?.[0]?.reference === `Organization/${clinicB.id}`)).toHaveLength(2);
    // Running the rest finishes it.
    await repair(await audit(), 'compartment-drift:project');
    expect(ids((await audit()).report)).not.toContain('compartment-drift:project');
  });

  test('a policy rule that does not filter by clinic is critical and the MSO rules are restored', async () => {
    const policy = await admin.readResource('AccessPolicy', msoPolicyReference(server).reference?.split('/')[1] ?? '', { cache: 'no-cache' } as RequestInit);
    await admin.updateResource<AccessPolicy>({ ...policy, resource: [...(policy.resource ?? []), { resourceType: 'MedicationRequest' }] });
    const run = await audit();
    const id = 'policy-criteria-unfiltered:MedicationRequest';
    expect(run.report.findings.find((f) => f.id === id)?.severity).toBe('critical');
    await repair(run, id);
    const restored = await admin.readResource('AccessPolicy', policy.id, { cache: 'no-cache' } as RequestInit);
    expect(restored.resource?.some((r) => r.resourceType === 'MedicationRequest')).toBe(false);
    // The policy stays hardened: restoring its rules does not bring the cross-clinic writes back.
    expect(restored.compartment).toBeUndefined();
    expect(ids((await audit()).report)).toEqual([]);
  });

  test('patients in no clinic, clinics with the same name, and clinical types the policy does not list are reported', async () => {
    const lost = await admin.createResource<Patient>({ resourceType: 'Patient', name: [{ family: 'Nowhere' }] });
    const twinName = `Twin ${Date.now()}`;
    const twins = [await createClinic(admin, twinName), await createClinic(admin, ` ${twinName.toUpperCase()} `)];
    await admin.createResource({ resourceType: 'MedicationStatement', status: 'active', medicationCodeableConcept: { text: 'x' }, subject: { reference: `Patient/${patientA.id}` } });
    const report = (await audit()).report;
    expect(report.findings.find((f) => f.kind === 'patient-in-no-clinic')?.concerns.map((c) => c.reference)).toEqual([`Patient/${lost.id}`]);
    expect(report.findings.find((f) => f.kind === 'duplicate-clinic-names')?.concerns.map((c) => c.reference).sort()).toEqual(twins.map((t) => `Organization/${t.id}`).sort());
    expect(report.findings.find((f) => f.kind === 'policy-type-gap')?.id).toBe('policy-type-gap:MedicationStatement');
  });
});
