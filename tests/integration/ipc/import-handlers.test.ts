/**
 * The import wizard's channels end to end in main: the renderer's API over the real dispatcher
 * and handlers, signed in over HTTP to the test backend (the local server, or a real Medplum).
 * A file reaches main through the (fake) open dialog or as dropped bytes, never as a path; the
 * import runs as a job; what the server holds afterwards, the one Activity entry, the error
 * report, and an import cancelled in one run of the app and resumed in the next are checked.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MedplumClient } from '@medplum/core';
import type { Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../../preload/api/contract';
import type { MsoApi } from '../../../preload/api/create-api';
import type { ImportDialogs } from '../../../main/ipc/import-handlers';
import { type TestBackend, startTestBackend } from '../../support/backend';
import { unwrapOk } from '../../support/envelope';
import { type TestMain, createDirectApi, createTestMain } from '../../support/ipc';
import { signInAsAdmin } from '../../support/local-server';

const OPTIONS = { createMissingClinics: true, updateDemographics: false, sendInvites: false, strict: false };
const dir = mkdtempSync(path.join(tmpdir(), 'mso-import-ipc-'));
let server: TestBackend;
let admin: MedplumClient;
const userDataDir = mkdtempSync(path.join(tmpdir(), 'mso-import-ud-'));
const dialogs = { open: undefined as string | undefined, save: undefined as string | undefined };
const fakeDialogs: ImportDialogs = {
  chooseRosterFile: async () => dialogs.open,
  chooseErrorReportTarget: async () => dialogs.save,
};
const mains: TestMain[] = [];

async function openMain(): Promise<{ main: TestMain; api: MsoApi }> {
  const main = createTestMain({ userDataDir, importDialogs: fakeDialogs });
  mains.push(main);
  const api = createDirectApi(main);
  const { connections } = unwrapOk(await api.listConnections());
  const connection =
    connections.find((entry) => entry.name === 'Import test') ??
    unwrapOk(
      await api.saveConnection({
        connection: { name: 'Import test', baseUrl: server.baseUrl, projectId: server.projectId, mrnSystem: server.mrnSystem, isolationMode: 'shared-membership', signIn: { method: 'password' } },
      }),
    );
  unwrapOk(await api.signIn({ connectionId: connection.id, credentials: { method: 'password', email: server.admin.email, password: server.admin.password } }));
  return { main, api };
}

async function jobEnd(main: TestMain, jobId: string, timeoutMs = 120_000): Promise<JobProgress> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const end = main.progress.find((event) => event.jobId === jobId && event.state !== 'running');
    if (end) return end;
    if (Date.now() > until) throw new Error('the import job did not end');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function patientsByMrn(prefix: string): Promise<Map<string, string[]>> {
  const clinics = await admin.searchResources('Organization', { _count: '1000' }, { cache: 'no-cache' } as RequestInit);
  const names = new Map(clinics.map((clinic) => [`Organization/${clinic.id}`, clinic.name as string]));
  const patients = (await admin.searchResources('Patient', { _count: '1000' }, { cache: 'no-cache' } as RequestInit)) as Patient[];
  const state = new Map<string, string[]>();
  for (const patient of patients) {
    const mrn = patient.identifier?.find((identifier) => identifier.system === server.mrnSystem)?.value;
    if (!mrn?.startsWith(prefix)) continue;
    expect(state.has(mrn), `${mrn} exists twice`).toBe(false);
    state.set(mrn, (patient.meta?.accounts ?? []).map((account) => names.get(account.reference as string) as string).sort());
  }
  return state;
}

beforeAll(async () => {
  server = await startTestBackend();
  admin = await signInAsAdmin(server);
});
afterAll(async () => {
  await server.stop();
});

describe('the import wizard over IPC', () => {
  it('validates with a corrected mapping, plans, imports as one job and one Activity entry, and saves the error report', async () => {
    const { main, api } = await openMain();
    unwrapOk(await api.createClinic({ name: 'Uptown Clinic' }));
    // "Chart No" is not a column of the format: the user maps it to mrn. Line 4 has a bad date
    // and a formula-like given name; "Notes" stays unknown (a warning).
    const file = path.join(dir, 'uptown.csv');
    writeFileSync(
      file,
      [
        'Chart No,first_name,last_name,dob,clinic,Notes',
        'WZ-1,Ada,Quill,1990-02-03,Uptown Clinic,x',
        'WZ-2,Ben,Quill,1985-07-04,Uptown Clinic;Harbor Annex,x',
        '"WZ-3","=HYPERLINK(1)",Quill,1985-02-30,Uptown Clinic,x',
        'WZ-4,Cy,Quill,2001-01-01,Uptown Clinic,x',
        '',
      ].join('\n'),
    );
    dialogs.open = file;
    const chosen = unwrapOk(await api.chooseImportFile());
    expect(chosen).toMatchObject({ name: 'uptown.csv', size: readFileSync(file).length });
    expect(JSON.stringify(chosen)).not.toContain(dir);

    const unmapped = unwrapOk(await api.validateImport({ token: chosen!.token }));
    expect(unmapped.kind).toBeNull();
    expect(unmapped.fileError?.message).toContain('neither an mrn column');

    const mapped = unwrapOk(await api.validateImport({ token: chosen!.token, columnOverrides: { 'Chart No': 'mrn' } }));
    expect(mapped).toMatchObject({ kind: 'patients', detectedKind: 'patients', delimiter: 'comma', rows: 4, validRows: 3, errorRows: 1, fileError: null });
    expect(mapped.columns.map((column) => [column.header, column.key, column.overridden])).toEqual([
      ['Chart No', 'mrn', true],
      ['first_name', 'given_name', false],
      ['last_name', 'family_name', false],
      ['dob', 'birth_date', false],
      ['clinic', 'clinics', false],
      ['Notes', null, false],
    ]);
    expect(mapped.issues).toEqual([
      expect.objectContaining({ severity: 'warning', line: 1, message: expect.stringContaining('Notes') }),
      expect.objectContaining({ severity: 'error', line: 4, column: 'dob', columnNumber: 4 }),
    ]);

    const plan = unwrapOk(await api.planImport({ token: chosen!.token, columnOverrides: { 'Chart No': 'mrn' }, options: OPTIONS }));
    expect(plan.totals).toMatchObject({ rows: 4, create: 3, error: 1 });
    expect(plan.clinicsToCreate).toEqual(['Harbor Annex']);
    expect(plan.byClinic).toEqual([
      { name: 'Uptown Clinic', created: 3, added: 0, removed: 0 },
      { name: 'Harbor Annex', created: 1, added: 0, removed: 0 },
    ]);
    expect(plan.rows).toEqual([
      { line: 2, status: 'create' },
      { line: 3, status: 'create' },
      { line: 4, status: 'error' },
      { line: 5, status: 'create' },
    ]);
    expect(plan.estimate.points).toBeGreaterThanOrEqual(300);
    expect(await patientsByMrn('WZ-')).toEqual(new Map());

    const started = unwrapOk(await api.startImport({ token: chosen!.token, columnOverrides: { 'Chart No': 'mrn' }, options: OPTIONS }));
    const end = await jobEnd(main, started.jobId);
    expect(end).toMatchObject({ kind: 'import-roster', state: 'succeeded', done: 3, total: 3 });
    expect(end.message).toBe('3 patients created, 0 changed; 1 clinic created; 1 row with errors skipped.');
    expect(await patientsByMrn('WZ-')).toEqual(
      new Map([
        ['WZ-1', ['Uptown Clinic']],
        ['WZ-2', ['Harbor Annex', 'Uptown Clinic']],
        ['WZ-4', ['Uptown Clinic']],
      ]),
    );

    const imports = unwrapOk(await api.listImports());
    expect(imports).toEqual([
      expect.objectContaining({ importId: started.importId, fileName: 'uptown.csv', state: 'finished', result: expect.objectContaining({ created: 3, skipped: 1, failed: 0, reportRows: 1 }) }),
    ]);

    const activity = unwrapOk(await api.listActivity({ offset: 0, count: 50 }));
    const imported = activity.entries.filter((entry) => entry.action === 'import.roster');
    expect(imported).toHaveLength(1);
    expect(imported[0]).toMatchObject({ result: 'ok', detail: expect.objectContaining({ importId: started.importId, created: 3, skipped: 1, clinicsCreated: 1, rows: 4 }) });
    // The import is that one entry: the engines' per-person entries are not written.
    expect(activity.entries.filter((entry) => entry.action === 'patient.create')).toHaveLength(0);
    const logged = JSON.stringify([activity.entries, main.logs]);
    for (const value of ['Ada', 'Quill', 'WZ-1', '1990-02-03', 'HYPERLINK', 'uptown.csv']) expect(logged).not.toContain(value);

    dialogs.save = path.join(dir, 'report.csv');
    expect(unwrapOk(await api.saveImportErrorReport({ importId: started.importId }))).toEqual({ saved: true, rows: 1 });
    const report = readFileSync(dialogs.save, 'utf8').split('\r\n');
    expect(report[0]).toBe('Chart No,first_name,last_name,dob,clinic,Notes,line,status,message');
    expect(report[1]).toMatch(/^WZ-3,'=HYPERLINK\(1\),Quill,1985-02-30,Uptown Clinic,x,4,error,"?Line 4, column 4 \(dob\)/);
    dialogs.save = undefined;
    expect(unwrapOk(await api.saveImportErrorReport({ importId: started.importId }))).toEqual({ saved: false, rows: 0 });

    expect(unwrapOk(await api.discardImport({ importId: started.importId }))).toEqual({ discarded: true });
    expect(unwrapOk(await api.listImports())).toEqual([]);
  });

  it('takes a dropped file as bytes (never a path), and refuses a path-like argument or an unknown token', async () => {
    const { api } = await openMain();
    const bytes = Buffer.from('email,given_name,family_name,clinics\nnew.person@example.org,Dee,Quill,Uptown Clinic\n');
    const staged = unwrapOk(await api.stageImportFile({ name: '../../etc/clinicians.csv', contentBase64: bytes.toString('base64') }));
    expect(staged).toMatchObject({ name: 'clinicians.csv', size: bytes.length });
    const validation = unwrapOk(await api.validateImport({ token: staged.token }));
    expect(validation).toMatchObject({ kind: 'practitioners', rows: 1, validRows: 1 });
    const refused = await api.validateImport({ token: staged.token, path: '/etc/passwd' } as never);
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    const unknown = await api.planImport({ token: '00000000-0000-4000-8000-000000000000', options: OPTIONS });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const badMapping = await api.validateImport({ token: staged.token, columnOverrides: { email: 'password' } });
    expect(badMapping).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
  });

  it('a clinician roster invites its clinicians into their clinics, each membership keeping the MSO policy', async () => {
    const { main, api } = await openMain();
    const clinic = unwrapOk(await api.createClinic({ name: 'Northgate Annex' })).value;
    const bytes = Buffer.from('npi,first_name,last_name,email,clinics\n1234567893,Jo,Ridley,jo.ridley@northgate.example,Northgate Annex\n,Sam,Okoro,sam.okoro@northgate.example,Northgate Annex\n');
    const staged = unwrapOk(await api.stageImportFile({ name: 'clinicians.csv', contentBase64: bytes.toString('base64') }));
    const options = { ...OPTIONS, createMissingClinics: false };
    const plan = unwrapOk(await api.planImport({ token: staged.token, options }));
    expect(plan).toMatchObject({ validation: { kind: 'practitioners' }, people: { create: 2, change: 0 }, byClinic: [{ name: 'Northgate Annex', created: 2 }] });
    const started = unwrapOk(await api.startImport({ token: staged.token, options }));
    const end = await jobEnd(main, started.jobId);
    expect(end).toMatchObject({ state: 'succeeded', message: '2 clinicians created, 0 changed.' });
    for (const email of ['jo.ridley@northgate.example', 'sam.okoro@northgate.example']) {
      const [practitioner] = await admin.searchResources('Practitioner', { email }, { cache: 'no-cache' } as RequestInit);
      expect(practitioner, email).toBeDefined();
      const memberships = await admin.searchResources('ProjectMembership', { profile: `Practitioner/${practitioner!.id}` }, { cache: 'no-cache' } as RequestInit);
      expect(memberships).toHaveLength(1);
      expect(memberships[0]?.accessPolicy?.reference).toBe(`AccessPolicy/${server.seed.msoPolicyId}`);
      expect(memberships[0]?.access?.map((entry) => entry.parameter?.[0]?.valueReference?.reference)).toEqual([`Organization/${clinic.id}`]);
    }
  });

  it('an import cancelled part-way is offered again after a restart and resumed there, ending with every patient once', async () => {
    const first = await openMain();
    const rows = ['mrn,given_name,family_name,birth_date,clinics'];
    for (let index = 0; index < 300; index++) rows.push(`RZ-${index},Given${index},Family,1990-02-03,${index % 3 ? 'Uptown Clinic' : 'Resume Annex'}`);
    dialogs.open = path.join(dir, 'resume.csv');
    writeFileSync(dialogs.open, `${rows.join('\n')}\n`);
    const chosen = unwrapOk(await first.api.chooseImportFile());
    const started = unwrapOk(await first.api.startImport({ token: chosen!.token, options: OPTIONS }));
    // The same file again while it runs would share its journal: refused.
    const again = unwrapOk(await first.api.chooseImportFile());
    expect(await first.api.startImport({ token: again!.token, options: OPTIONS })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    // Cancel as soon as the first batch is in.
    const stop = first.api.on.jobProgress((event) => {
      if (event.jobId === started.jobId && event.done > 0) void first.api.cancelJob({ jobId: started.jobId });
    });
    const cancelled = await jobEnd(first.main, started.jobId);
    stop();
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.done).toBeLessThan(300);
    expect(cancelled.message).toContain('Resume it from the Import page');
    expect((await patientsByMrn('RZ-')).size).toBe(cancelled.done);

    // The app restarts: a new main over the same user-data folder.
    const second = await openMain();
    const offered = unwrapOk(await second.api.listImports());
    expect(offered).toEqual([expect.objectContaining({ importId: started.importId, fileName: 'resume.csv', state: 'interrupted', peopleDone: cancelled.done, connectionName: 'Import test' })]);
    const resumed = unwrapOk(await second.api.resumeImport({ importId: started.importId }));
    const end = await jobEnd(second.main, resumed.jobId);
    expect(end.state).toBe('succeeded');
    const state = await patientsByMrn('RZ-');
    expect(state.size).toBe(300);
    for (let index = 0; index < 300; index++) expect(state.get(`RZ-${index}`)).toEqual([index % 3 ? 'Uptown Clinic' : 'Resume Annex']);
    expect(unwrapOk(await second.api.listImports())).toEqual([expect.objectContaining({ importId: started.importId, state: 'finished', result: expect.objectContaining({ resumed: true }) })]);
    // Each run is one entry: the cancelled one and its resume.
    const entries = unwrapOk(await second.api.listActivity({ offset: 0, count: 100 })).entries.filter((entry) => entry.detail?.importId === started.importId);
    expect(entries.map((entry) => entry.detail?.cancelled)).toEqual([false, true]);
  });
  it('an import that moves existing patients is one entry on the shared trail, its rows on each patient’s trail, and is undone as one job', async () => {
    const { main, api } = await openMain();
    const home = unwrapOk(await api.createClinic({ name: 'Undo Home' })).value;
    unwrapOk(await api.createClinic({ name: 'Undo Away' }));
    const patients: Patient[] = [];
    for (let index = 1; index <= 3; index++) {
      const accounts = [{ reference: `Organization/${home.id}` }];
      patients.push(
        await admin.createResource<Patient>({
          resourceType: 'Patient',
          meta: { accounts, account: accounts[0] },
          identifier: [{ system: server.mrnSystem, value: `UZ-${index}` }],
          name: [{ given: [`Una${index}`], family: 'Zed' }],
          birthDate: '1980-01-0' + index,
        }),
      );
    }
    const file = path.join(dir, 'move.csv');
    writeFileSync(file, ['mrn,given_name,family_name,birth_date,clinics', ...[1, 2, 3].map((n) => `UZ-${n},Una${n},Zed,1980-01-0${n},Undo Away`), ''].join('\n'));
    dialogs.open = file;
    const chosen = unwrapOk(await api.chooseImportFile());
    const started = unwrapOk(await api.startImport({ token: chosen!.token, options: OPTIONS }));
    expect((await jobEnd(main, started.jobId)).state).toBe('succeeded');
    expect(await patientsByMrn('UZ-')).toEqual(new Map([1, 2, 3].map((n) => [`UZ-${n}`, ['Undo Away', 'Undo Home']])));

    // Activity shows the import once; a patient's own trail shows the row that changed them.
    const trail = unwrapOk(await api.listTrail({ offset: 0, count: 100 }));
    const ofImport = trail.entries.filter((entry) => entry.importId === started.importId);
    expect(ofImport.map((entry) => entry.action)).toEqual(['import.roster']);
    const first = patients[0] as Patient;
    const patientTrail = unwrapOk(await api.listTrail({ offset: 0, count: 100, record: `Patient/${first.id}` }));
    expect(patientTrail.entries.filter((entry) => entry.importId === started.importId && entry.action !== 'import.roster')).toHaveLength(1);

    const preview = unwrapOk(await api.previewUndo({ target: { importId: started.importId } }));
    expect(preview).toMatchObject({ kind: 'job', count: 3, undoable: true });
    const undo = unwrapOk(await api.applyUndo({ target: { importId: started.importId }, scope: 'exact' }));
    expect((await jobEnd(main, undo.jobId as string)).state).toBe('succeeded');
    expect(await patientsByMrn('UZ-')).toEqual(new Map([1, 2, 3].map((n) => [`UZ-${n}`, ['Undo Home']])));
  });
});
