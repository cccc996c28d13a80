/**
 * Access history, the shared trail and undo over real HTTP, on the local server and (real tier) a
 * real Medplum. Three administrators: "Owner" changes access through the console's engines (its
 * trail goes to the project as AuditEvents), "Outside" changes it straight through the FHIR API,
 * and "Reader" looks at the timeline and the trail from the console's own IPC, and undoes.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MedplumClient, WithId } from '@medplum/core';
import type { Organization, Patient, ProjectMembership } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryActivityLog } from '../../../main/engines/activity-log';
import { changeClinicianClinics } from '../../../main/engines/clinicians';
import type { EngineContext } from '../../../main/engines/engine-context';
import { changePatientClinics } from '../../../main/engines/patients';
import { Outbox } from '../../../main/history/outbox';
import { TrailSink } from '../../../main/history/trail-sink';
import type { MsoApi } from '../../../preload/api/create-api';
import { type TestBackend, startTestBackend } from '../../support/backend';
import { engineContext, visiblePatientIds } from '../../support/engine';
import { auditOverIpc } from '../../support/audit';
import { unwrapOk } from '../../support/envelope';
import { type TestMain, createDirectApi, createTestMain } from '../../support/ipc';
import { type TestClinician, createClinic, createClinician, createPatientInClinics, signInAsAdmin } from '../../support/local-server';
import { type SecondAdmin, inviteSecondAdmin } from '../../support/second-admin';

let server: TestBackend;
let owner: MedplumClient;
let ownerCtx: EngineContext;
let outside: SecondAdmin;
let reader: SecondAdmin;
let api: MsoApi;
let main: TestMain;
let north: WithId<Organization>;
let south: WithId<Organization>;
let east: WithId<Organization>;
const tag = Math.random().toString(36).slice(2, 7);

beforeAll(async () => {
  server = await startTestBackend();
  owner = await signInAsAdmin(server);
  const outbox = new Outbox(path.join(mkdtempSync(path.join(tmpdir(), 'mso-trail-')), 'outbox.jsonl'));
  ownerCtx = engineContext(server, owner, { activity: new TrailSink({ local: new MemoryActivityLog(), outbox, client: () => owner }) });
  outside = await inviteSecondAdmin(server, owner, 'Outside');
  reader = await inviteSecondAdmin(server, owner, 'Reader');
  north = await createClinic(owner, `North ${tag}`);
  south = await createClinic(owner, `South ${tag}`);
  east = await createClinic(owner, `East ${tag}`);
  main = createTestMain();
  api = createDirectApi(main);
  const connection = unwrapOk(
    await api.saveConnection({
      connection: { name: 'Reader', baseUrl: server.baseUrl, projectId: server.projectId, mrnSystem: server.mrnSystem, isolationMode: 'shared-membership', signIn: { method: 'password' } },
    })
  );
  unwrapOk(await api.signIn({ connectionId: connection.id, credentials: { method: 'password', email: reader.email, password: reader.password } }));
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

const ownerProfile = () => `Practitioner/${owner.getProfile()?.id}`;

describe('access timeline', () => {
  it('shows a change made through the engines and one made straight through the API, each with its author, in another admin’s session', async () => {
    const clinician = await createClinician(server, owner, [north]);
    const practitioner = clinician.practitioner.reference as string;
    await changeClinicianClinics(ownerCtx, practitioner.split('/')[1] as string, { enroll: [south.id] });
    // Outside the console: a FHIR PUT of the membership adding East, as another administrator.
    const membership = await outside.client.readResource('ProjectMembership', clinician.membership.id, { cache: 'no-cache' } as RequestInit);
    await outside.client.updateResource<ProjectMembership>({
      ...membership,
      access: [...(membership.access ?? []), { policy: membership.accessPolicy as NonNullable<ProjectMembership['accessPolicy']>, parameter: [{ name: 'organization', valueReference: { reference: `Organization/${east.id}` } }] }],
    });

    const timeline = unwrapOk(await api.getAccessTimeline({ record: practitioner }));
    const clinicLines = timeline.entries.filter((e) => e.changes.some((c) => c.field === 'clinics'));
    expect(clinicLines.slice(0, 2).map((e) => ({ author: e.author.reference, added: e.changes.flatMap((c) => c.added.map((a) => a.display)) }))).toEqual([
      { author: outside.profile, added: [`East ${tag}`] },
      { author: ownerProfile(), added: [`South ${tag}`] },
    ]);
    expect(clinicLines[0]?.author.display).toBe('Second Outside');
    expect(clinicLines[0]?.sentence).toContain(`Second Outside added East ${tag}`);
    expect(clinicLines[0]?.undoable).toBe(true);

    const patient = await createPatientInClinics(owner, [north], `Timeline${tag}`);
    await changePatientClinics(ownerCtx, patient.id, { enroll: [south.id], unenroll: [north.id] });
    const patientTimeline = unwrapOk(await api.getAccessTimeline({ record: `Patient/${patient.id}` }));
    expect(patientTimeline.entries[0]).toMatchObject({ author: { reference: ownerProfile() }, resource: `Patient/${patient.id}`, undoable: true });
    expect(patientTimeline.entries[0]?.changes).toEqual([
      { field: 'clinics', added: [{ reference: `Organization/${south.id}`, display: `South ${tag}` }], removed: [{ reference: `Organization/${north.id}`, display: `North ${tag}` }] },
    ]);

    // The clinic's timeline: its own versions, and the console's changes of who belongs to it.
    const clinicTimeline = unwrapOk(await api.getAccessTimeline({ record: `Organization/${south.id}` }));
    const joined = clinicTimeline.entries.filter((e) => e.trailId);
    expect(joined.slice(0, 2).map((e) => [e.subject.reference, e.author.reference])).toEqual([
      [`Patient/${patient.id}`, ownerProfile()],
      [practitioner, ownerProfile()],
    ]);
    expect(joined[0]?.sentence).toContain(`added South ${tag}`);
    expect(clinicTimeline.entries.at(-1)?.sentence).toContain(`created it as “South ${tag}”`);

    const recent = unwrapOk(await api.listRecentChanges({ since: new Date(Date.now() - 5 * 60_000).toISOString() }));
    expect(recent.entries.some((e) => e.resource === `Patient/${patient.id}` && e.author.reference === ownerProfile())).toBe(true);
    expect(recent.entries.some((e) => e.subject.reference === practitioner && e.author.reference === outside.profile)).toBe(true);
  });
});

describe('shared trail and undo', () => {
  let clinician: TestClinician;
  let northPatient: WithId<Patient>;
  let southPatient: WithId<Patient>;

  beforeAll(async () => {
    northPatient = await createPatientInClinics(owner, [north], `NorthOnly${tag}`);
    southPatient = await createPatientInClinics(owner, [south], `SouthOnly${tag}`);
    clinician = await createClinician(server, owner, [north]);
  });

  it('the owner’s change reaches the reader’s Activity from the server; undo restores exactly the access before, as the clinician sees it', async () => {
    const before = await visiblePatientIds(clinician.client);
    expect(before).toContain(northPatient.id);
    expect(before).not.toContain(southPatient.id);
    const practitionerId = (clinician.practitioner.reference as string).split('/')[1] as string;
    await changeClinicianClinics(ownerCtx, practitionerId, { enroll: [south.id] });
    expect(await visiblePatientIds(clinician.client)).toContain(southPatient.id);

    const trail = unwrapOk(await api.listTrail({ record: clinician.practitioner.reference as string }));
    const entry = trail.entries.find((e) => e.action === 'clinician.enroll');
    expect(entry).toMatchObject({ pending: false, undoable: true, actor: { reference: ownerProfile() } });
    expect(entry?.id).toMatch(/^server:/);

    const preview = unwrapOk(await api.previewUndo({ target: { trailId: entry?.id as string } }));
    expect(preview.conflicts).toEqual([]);
    const inSouth = (await owner.search('Patient', { _compartment: `Organization/${south.id}`, _summary: 'count' }, { cache: 'no-cache' } as RequestInit)).total as number;
    expect(inSouth).toBeGreaterThan(0);
    expect(preview.sentence).toContain(`will no longer see the ${inSouth} patient${inSouth === 1 ? '' : 's'} of South ${tag}`);
    const outcome = unwrapOk(await api.applyUndo({ target: { trailId: entry?.id as string } }));
    expect(outcome.jobId).toBeNull();
    expect(await visiblePatientIds(clinician.client)).toEqual(before);

    // The undo is itself on the shared trail, pointing at what it undid.
    const after = unwrapOk(await api.listTrail({ record: clinician.practitioner.reference as string }));
    expect(after.entries.some((e) => e.undoes === entry?.id && e.actor.reference === reader.profile)).toBe(true);
  });

  it('refuses an exact undo when the record changed since, says why, and undoes just that change on request', async () => {
    const patient = await createPatientInClinics(owner, [north], `Conflict${tag}`);
    await changePatientClinics(ownerCtx, patient.id, { enroll: [south.id] });
    const current = await outside.client.readResource('Patient', patient.id, { cache: 'no-cache' } as RequestInit);
    await outside.client.updateResource<Patient>({ ...current, meta: { accounts: [...(current.meta?.accounts ?? []), { reference: `Organization/${east.id}` }] } });

    const trail = unwrapOk(await api.listTrail({ record: `Patient/${patient.id}`, action: 'patient.enroll', result: 'ok', since: new Date(Date.now() - 10 * 60_000).toISOString() }));
    expect(trail.entries).toHaveLength(1);
    expect(unwrapOk(await api.listTrail({ record: `Patient/${patient.id}`, result: 'failed' })).entries).toEqual([]);
    const trailId = trail.entries[0]?.id as string;
    const preview = unwrapOk(await api.previewUndo({ target: { trailId } }));
    expect(preview.conflicts).toHaveLength(1);
    expect(preview.conflicts[0]?.explanation).toContain(`added East ${tag}`);
    expect(preview.conflicts[0]?.explanation).toContain('Second Outside');
    expect(preview.inverseAvailable).toBe(true);

    const refused = await api.applyUndo({ target: { trailId }, scope: 'exact' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('conflict');
      expect(refused.error.message).toContain(`added East ${tag}`);
    }
    const stillThere = await owner.readResource('Patient', patient.id, { cache: 'no-cache' } as RequestInit);
    expect(stillThere.meta?.accounts?.map((a) => a.reference).sort()).toEqual([`Organization/${east.id}`, `Organization/${north.id}`, `Organization/${south.id}`].sort());

    unwrapOk(await api.applyUndo({ target: { trailId }, scope: 'only-this-change' }));
    const after = await owner.readResource('Patient', patient.id, { cache: 'no-cache' } as RequestInit);
    expect(after.meta?.accounts?.map((a) => a.reference).sort()).toEqual([`Organization/${east.id}`, `Organization/${north.id}`].sort());
  });

  it('a patient’s undo preview says which of the clinic’s clinicians stop seeing them, and they do', async () => {
    const west = await createClinic(owner, `West ${tag}`);
    const onlyWest = await createClinician(server, owner, [west]);
    const westAndNorth = await createClinician(server, owner, [west, north]);
    const patient = await createPatientInClinics(owner, [north], `Reach${tag}`);
    await changePatientClinics(ownerCtx, patient.id, { enroll: [west.id] });
    expect(await visiblePatientIds(onlyWest.client)).toContain(patient.id);

    const trail = unwrapOk(await api.listTrail({ record: `Patient/${patient.id}`, action: 'patient.enroll' }));
    const trailId = trail.entries[0]?.id as string;
    const preview = unwrapOk(await api.previewUndo({ target: { trailId } }));
    expect(preview.sentence).toContain(
      `will leave West ${tag}: 1 of its 2 clinicians will no longer see their records (the other sees them through another clinic)`
    );
    unwrapOk(await api.applyUndo({ target: { trailId } }));
    expect(await visiblePatientIds(onlyWest.client)).not.toContain(patient.id);
    expect(await visiblePatientIds(westAndNorth.client)).toContain(patient.id);
  });

  it('undoes a change made outside the console from its timeline line', async () => {
    const other = await createClinician(server, owner, [north]);
    const before = await visiblePatientIds(other.client);
    const membership = await outside.client.readResource('ProjectMembership', other.membership.id, { cache: 'no-cache' } as RequestInit);
    await outside.client.updateResource<ProjectMembership>({
      ...membership,
      access: [...(membership.access ?? []), { policy: membership.accessPolicy as NonNullable<ProjectMembership['accessPolicy']>, parameter: [{ name: 'organization', valueReference: { reference: `Organization/${south.id}` } }] }],
    });
    expect(await visiblePatientIds(other.client)).toContain(southPatient.id);
    const line = unwrapOk(await api.getAccessTimeline({ record: other.practitioner.reference as string })).entries[0];
    expect(line?.author.reference).toBe(outside.profile);
    unwrapOk(await api.applyUndo({ target: { record: line?.resource as string, versionId: line?.versionId as string } }));
    expect(await visiblePatientIds(other.client)).toEqual(before);
  });

  it('a clinician can read no AuditEvent of the trail', async () => {
    const search = await fetch(new URL('fhir/R4/AuditEvent', server.baseUrl), { headers: { Authorization: `Bearer ${clinician.client.getAccessToken()}` } });
    expect(search.status).toBe(403);
    const trail = unwrapOk(await api.listTrail({ count: 1 }));
    const serverId = (trail.entries.find((e) => e.id.startsWith('server:'))?.id as string).slice('server:'.length);
    const read = await fetch(new URL(`fhir/R4/AuditEvent/${serverId}`, server.baseUrl), { headers: { Authorization: `Bearer ${clinician.client.getAccessToken()}` } });
    expect(read.status).toBe(403);
  });
});

describe('undo of an import', () => {
  async function finished(jobId: string) {
    for (let i = 0; i < 400; i++) {
      const last = main.progress.filter((p) => p.jobId === jobId).at(-1);
      if (last && last.state !== 'running') return last;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the job did not finish');
  }

  it('runs as a job: every row that changed access is put back, a row changed since is left and counted', async () => {
    const importId = crypto.randomUUID();
    const imported: EngineContext = { ...ownerCtx, activityTags: { importId } };
    const a = await createPatientInClinics(owner, [north], `ImportA${tag}`);
    const b = await createPatientInClinics(owner, [north], `ImportB${tag}`);
    const c = await createPatientInClinics(owner, [north], `ImportC${tag}`);
    for (const patient of [a, b, c]) await changePatientClinics(imported, patient.id, { enroll: [south.id] });
    // Someone changes C after the import.
    const current = await outside.client.readResource('Patient', c.id, { cache: 'no-cache' } as RequestInit);
    await outside.client.updateResource<Patient>({ ...current, meta: { accounts: [{ reference: `Organization/${east.id}` }] } });

    const preview = unwrapOk(await api.previewUndo({ target: { importId } }));
    expect(preview).toMatchObject({ kind: 'job', count: 2, undoable: true });
    expect(preview.sentence).toContain('1 row changed since');

    const { jobId } = unwrapOk(await api.applyUndo({ target: { importId } }));
    expect(jobId).not.toBeNull();
    const last = await finished(jobId as string);
    expect(last).toMatchObject({ state: 'succeeded', done: 3, total: 3 });
    expect(last.message).toBe('2 rows of the import undone; 1 left because they changed since.');
    const accounts = async (id: string) => (await owner.readResource('Patient', id, { cache: 'no-cache' } as RequestInit)).meta?.accounts?.map((x) => x.reference);
    expect(await accounts(a.id)).toEqual([`Organization/${north.id}`]);
    expect(await accounts(b.id)).toEqual([`Organization/${north.id}`]);
    expect(await accounts(c.id)).toEqual([`Organization/${east.id}`]);
  });

  it('cancel stops between rows: each row is either undone or untouched, as the closing sentence counts', async () => {
    const importId = crypto.randomUUID();
    const imported: EngineContext = { ...ownerCtx, activityTags: { importId } };
    const patients = [];
    for (let i = 0; i < 4; i++) patients.push(await createPatientInClinics(owner, [north], `Cancel${i}${tag}`));
    for (const patient of patients) await changePatientClinics(imported, patient.id, { enroll: [south.id] });
    const { jobId } = unwrapOk(await api.applyUndo({ target: { importId } }));
    unwrapOk(await api.cancelJob({ jobId: jobId as string }));
    const last = await finished(jobId as string);
    expect(last.state).toBe('cancelled');
    let undone = 0;
    for (const patient of patients) {
      const refs = (await owner.readResource('Patient', patient.id, { cache: 'no-cache' } as RequestInit)).meta?.accounts?.map((x) => x.reference).sort();
      if (refs?.length === 1) undone++;
      else expect(refs).toEqual([`Organization/${north.id}`, `Organization/${south.id}`].sort());
    }
    expect(last.message).toMatch(new RegExp(`^(Cancelled\\.|${undone} rows? of the import undone; stopped before the end\\.)$`));
  });
});

describe('undo of an audit repair', () => {
  it('a stale access entry removed by the audit’s repair comes back on undo, and the entry says what it undid', async () => {
    const closed = await createClinic(owner, `Closed ${tag}`);
    const clinician = await createClinician(server, owner, [north, closed]);
    await owner.updateResource<Organization>({ ...closed, active: false });
    const report = await auditOverIpc(api, main);
    const finding = report.findings.find((f) => f.id === `stale-access-entry:ProjectMembership/${clinician.membership.id}`);
    expect(finding).toBeDefined();
    const repair = unwrapOk(await api.previewRepair({ findingId: finding?.id as string }));
    const { jobId } = unwrapOk(await api.applyRepair({ previewId: repair.previewId }));
    for (let i = 0; i < 200 && main.progress.filter((p) => p.jobId === jobId).at(-1)?.state !== 'succeeded'; i++) await new Promise((r) => setTimeout(r, 50));
    const clinicsNow = async () =>
      ((await owner.readResource('ProjectMembership', clinician.membership.id, { cache: 'no-cache' } as RequestInit)).access ?? []).map((a) => a.parameter?.[0]?.valueReference?.reference).sort();
    expect(await clinicsNow()).toEqual([`Organization/${north.id}`]);

    const entry = unwrapOk(await api.listTrail({ record: `ProjectMembership/${clinician.membership.id}`, action: 'audit.remove-stale-access' })).entries[0];
    expect(entry).toMatchObject({ undoable: true, actor: { reference: reader.profile } });
    const preview = unwrapOk(await api.previewUndo({ target: { trailId: entry?.id as string } }));
    expect(preview.conflicts).toEqual([]);
    expect(preview.sentence).toContain(`will again see`);
    unwrapOk(await api.applyUndo({ target: { trailId: entry?.id as string } }));
    expect(await clinicsNow()).toEqual([`Organization/${closed.id}`, `Organization/${north.id}`].sort());
  });
});
