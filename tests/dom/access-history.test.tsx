/**
 * Access history and undo in the screens, over the real handlers and a local server: the patient
 * page's timeline names who made each change (this console's administrator, and another one
 * straight through the API), newest first; Undo says beforehand what it will do and the server
 * then holds the previous clinics; a change made since is explained and only the inverse of the
 * change is offered; the Activity page lists every administrator's changes with Undo.
 */
import type { MedplumClient, WithId } from '@medplum/core';
import type { Organization, Patient } from '@medplum/fhirtypes';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Root } from '../../renderer/src/Root';
import { unwrapOk } from '../support/envelope';
import { type LocalServer, createClinic, createPatientInClinics, signInAsAdmin, startTestServer } from '../support/local-server';
import { type SecondAdmin, inviteSecondAdmin } from '../support/second-admin';
import { type SignedInMain, accountsOf, readPatient, renderPeople, signInMain, signInMainAsAdmin, signInMainAsReader } from './people/harness';

let server: LocalServer;
let admin: MedplumClient;
let other: SecondAdmin;
let signedIn: SignedInMain;
let uptown: WithId<Organization>;
let riverside: WithId<Organization>;
let eastside: WithId<Organization>;

beforeAll(async () => {
  server = await startTestServer();
  admin = await signInAsAdmin(server);
  [uptown, riverside, eastside] = [await createClinic(admin, 'Uptown Clinic'), await createClinic(admin, 'Riverside'), await createClinic(admin, 'Eastside')];
  other = await inviteSecondAdmin(server, admin, 'Lee');
  signedIn = await signInMainAsAdmin(server);
});
afterAll(async () => {
  await server.stop();
});

const clinicRef = (clinic: WithId<Organization>) => `Organization/${clinic.id}`;

/** Another administrator adds a clinic to the patient straight through the API, not through the console. */
async function addedByTheOtherAdmin(patient: WithId<Patient>, clinic: WithId<Organization>): Promise<void> {
  const current = await other.client.readResource('Patient', patient.id, { cache: 'no-cache' });
  const accounts = [...(current.meta?.accounts ?? []), { reference: clinicRef(clinic) }];
  await other.client.updateResource<Patient>({ ...current, meta: { ...current.meta, accounts } });
}

/** A patient of Uptown given Riverside by this console, then Eastside by the other admin; its page open. */
async function openPatientChangedByBoth(family: string): Promise<WithId<Patient>> {
  const patient = await createPatientInClinics(admin, [uptown], family);
  unwrapOk(await signedIn.api.setPatientClinics({ patientId: patient.id, add: [riverside.id], remove: [] }));
  await addedByTheOtherAdmin(patient, eastside);
  renderPeople(signedIn.api, `/patients/${patient.id}`);
  await screen.findByRole('list', { name: 'Access history' }, { timeout: 10_000 });
  return patient;
}

function timelineLines(): HTMLElement[] {
  return within(screen.getByRole('list', { name: 'Access history' })).getAllByTestId('timeline-sentence');
}

describe('access history on the patient page', () => {
  it('names the author of each change, newest first, and an undo restores the clinics the patient had', async () => {
    const patient = await openPatientChangedByBoth('Historia');
    const [newest, older] = timelineLines();
    expect(newest).toHaveTextContent(/^[A-Z][a-z]{2} \d{1,2}, \d{2}:\d{2} · Second Lee added Eastside/);
    expect(older).toHaveTextContent(/ · .+ added Riverside/);
    expect(older).not.toHaveTextContent('Second Lee');

    // Undo the other administrator's change: the preview says it in words before anything is written.
    const newestLine = newest?.closest('[data-testid="timeline-line"]') as HTMLElement;
    await userEvent.click(within(newestLine).getByRole('button', { name: 'Undo' }));
    const dialog = await screen.findByRole('dialog', {}, { timeout: 5000 });
    const preview = await within(dialog).findByTestId('undo-preview', {}, { timeout: 5000 });
    expect(preview.textContent).toMatch(/Eastside/);
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Keep as it is' })).toHaveFocus());
    await userEvent.click(within(dialog).getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument(), { timeout: 10_000 });

    expect(accountsOf(await readPatient(admin, patient.id)).sort()).toEqual([clinicRef(uptown), clinicRef(riverside)].sort());
    // The page read the patient again, and the undo is on the timeline as the newest change.
    await waitFor(() => expect(screen.getByTestId('current-clinics')).not.toHaveTextContent('Eastside'), { timeout: 10_000 });
    await waitFor(() => expect(timelineLines()[0]).toHaveTextContent(/removed Eastside/), { timeout: 10_000 });
  });

  it('explains a change made since and undoes only that change, keeping the later one', async () => {
    const patient = await openPatientChangedByBoth('Conflicta');
    const riversideLine = timelineLines()
      .find((line) => /added Riverside/.test(line.textContent ?? ''))
      ?.closest('[data-testid="timeline-line"]') as HTMLElement;
    await userEvent.click(within(riversideLine).getByRole('button', { name: 'Undo' }));
    const dialog = await screen.findByRole('dialog', {}, { timeout: 5000 });
    const conflicts = await within(dialog).findByTestId('undo-conflicts', {}, { timeout: 5000 });
    expect(conflicts.textContent).toMatch(/Second Lee/);
    // Putting everything back is not offered: it would lose Eastside.
    expect(within(dialog).queryByRole('button', { name: 'Undo' })).not.toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Undo only this change' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument(), { timeout: 10_000 });

    expect(accountsOf(await readPatient(admin, patient.id)).sort()).toEqual([clinicRef(uptown), clinicRef(eastside)].sort());
  });
});

describe('undo from the keyboard', () => {
  it('opens from Enter on a line, closes with Escape without changing anything, and gives focus back to the line', async () => {
    const patient = await openPatientChangedByBoth('Keyboarda');
    const before = accountsOf(await readPatient(admin, patient.id)).sort();
    const undo = within(timelineLines()[0]?.closest('[data-testid="timeline-line"]') as HTMLElement).getByRole('button', { name: 'Undo' });
    // The button says which change it undoes.
    expect(undo).toHaveAccessibleDescription(/Second Lee added Eastside/);
    undo.focus();
    await userEvent.keyboard('{Enter}');
    const dialog = await screen.findByRole('dialog', {}, { timeout: 5000 });
    await within(dialog).findByTestId('undo-preview', {}, { timeout: 5000 });
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    await waitFor(() => expect(undo).toHaveFocus());
    expect(accountsOf(await readPatient(admin, patient.id)).sort()).toEqual(before);
  });
});

describe('a long access history', () => {
  it('shows the newest 20 changes and the older ones on request, newest first throughout', async () => {
    const patient = await createPatientInClinics(admin, [uptown], 'Longhist');
    // 22 changes: Riverside added, removed, added, … (the last one adds it).
    for (let index = 0; index < 22; index++) {
      const adding = index % 2 === 0;
      unwrapOk(await signedIn.api.setPatientClinics({ patientId: patient.id, add: adding ? [riverside.id] : [], remove: adding ? [] : [riverside.id] }));
    }
    renderPeople(signedIn.api, `/patients/${patient.id}`);
    await screen.findByRole('list', { name: 'Access history' }, { timeout: 10_000 });
    expect(timelineLines()).toHaveLength(20);
    expect(timelineLines()[0]).toHaveTextContent(/removed Riverside$/);
    expect(timelineLines()[1]).toHaveTextContent(/added Riverside$/);

    await userEvent.click(screen.getByRole('button', { name: 'Show older changes' }));
    // The other 2 changes and the patient's creation, oldest last; nothing more to show.
    await waitFor(() => expect(timelineLines()).toHaveLength(23), { timeout: 10_000 });
    const texts = timelineLines().map((line) => line.textContent ?? '');
    expect(texts.slice(0, 22).every((text, index) => text.endsWith(index % 2 === 0 ? 'removed Riverside' : 'added Riverside'))).toBe(true);
    expect(texts[22]).toMatch(/Uptown Clinic/);
    expect(screen.queryByRole('button', { name: 'Show older changes' })).not.toBeInTheDocument();
  });
});

describe('the shared trail on the Activity page', () => {
  it("lists this console's change with Undo, and the undo restores the patient's clinics", async () => {
    const patient = await createPatientInClinics(admin, [uptown], 'Trailer');
    unwrapOk(await signedIn.api.setPatientClinics({ patientId: patient.id, add: [], remove: [uptown.id] }));
    expect(accountsOf(await readPatient(admin, patient.id))).toEqual([]);

    window.location.hash = `#/activity?record=${encodeURIComponent(`Patient/${patient.id}`)}`;
    render(<Root api={signedIn.api} />);
    const table = await screen.findByTestId('activity-table', {}, { timeout: 10_000 });
    const [row] = within(table).getAllByRole('row').slice(1);
    expect(row).toHaveTextContent('Removed a patient from a clinic');
    expect(within(row as HTMLElement).queryByTestId('not-yet-sent')).not.toBeInTheDocument();

    await userEvent.click(within(row as HTMLElement).getByRole('button', { name: /^Undo: / }));
    const dialog = await screen.findByRole('dialog', {}, { timeout: 5000 });
    expect((await within(dialog).findByTestId('undo-preview', {}, { timeout: 5000 })).textContent).toMatch(/Uptown Clinic/);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument(), { timeout: 10_000 });

    expect(accountsOf(await readPatient(admin, patient.id))).toEqual([clinicRef(uptown)]);
    // The undo is a change of its own, on the trail.
    await waitFor(() => expect(within(screen.getByTestId('activity-table')).getAllByRole('row')).toHaveLength(3), { timeout: 10_000 });
  });
});

describe('another console', () => {
  it("shows this console's change on another administrator's Activity, by its author", async () => {
    const patient = await createPatientInClinics(admin, [uptown], 'Sharedtrail');
    unwrapOk(await signedIn.api.setPatientClinics({ patientId: patient.id, add: [eastside.id], remove: [] }));
    const secondConsole = await signInMain(server, other.email, other.password);

    window.location.hash = `#/activity?record=${encodeURIComponent(`Patient/${patient.id}`)}`;
    render(<Root api={secondConsole.api} />);
    const table = await screen.findByTestId('activity-table', {}, { timeout: 10_000 });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(1);
    const [row] = rows as [HTMLElement];
    expect(row).toHaveTextContent('Enrolled a patient');
    expect(row).toHaveTextContent('Eastside');
    // Who: the first console's administrator, not the one looking.
    expect(row).not.toHaveTextContent('Second Lee');
    expect(within(row).queryByTestId('not-yet-sent')).not.toBeInTheDocument();
    expect(within(row).getByRole('button', { name: /^Undo: / })).toBeInTheDocument();
  });

  it('offers no undo to a member who is not an administrator', async () => {
    const patient = await openPatientChangedByBoth('Readonly');
    cleanup();
    const reader = await signInMainAsReader(server, admin);
    renderPeople(reader.api, `/patients/${patient.id}`);
    await screen.findByRole('list', { name: 'Access history' }, { timeout: 10_000 });
    expect(timelineLines()[0]).toHaveTextContent(/Second Lee added Eastside/);
    expect(screen.queryByRole('button', { name: 'Undo' })).not.toBeInTheDocument();
    cleanup();

    window.location.hash = `#/activity?record=${encodeURIComponent(`Patient/${patient.id}`)}`;
    render(<Root api={reader.api} />);
    const table = await screen.findByTestId('activity-table', {}, { timeout: 10_000 });
    expect(within(table).getAllByRole('row')).toHaveLength(2);
    expect(within(table).queryByRole('button', { name: /^Undo/ })).not.toBeInTheDocument();
  });
});

describe('changes on the records, on Activity', () => {
  it("lists a change made outside the console (not on the trail) with its author and subject, and undoes it", async () => {
    const patient = await createPatientInClinics(admin, [uptown], 'Outsider');
    await addedByTheOtherAdmin(patient, riverside);

    window.location.hash = '#/activity?view=records';
    render(<Root api={signedIn.api} />);
    const list = await screen.findByRole('list', { name: 'Changes on the records' }, { timeout: 10_000 });
    const line = within(list)
      .getAllByTestId('timeline-line')
      .find((candidate) => within(candidate).queryByRole('link', { name: 'Test Outsider' })) as HTMLElement;
    expect(within(line).getByRole('link', { name: 'Test Outsider' })).toHaveAttribute('href', `#/patients/${patient.id}`);
    expect(within(line).getByTestId('timeline-sentence')).toHaveTextContent(/ · Second Lee added Riverside$/);

    await userEvent.click(within(line).getByRole('button', { name: 'Undo' }));
    const dialog = await screen.findByRole('dialog', {}, { timeout: 5000 });
    await within(dialog).findByTestId('undo-preview', {}, { timeout: 5000 });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument(), { timeout: 10_000 });
    expect(accountsOf(await readPatient(admin, patient.id))).toEqual([clinicRef(uptown)]);
  });
});

describe("an import's undo from Activity", () => {
  it('runs as a job with progress and puts back the clinics every imported patient had', async () => {
    const mrns = ['IU-1', 'IU-2', 'IU-3'];
    const patients = await Promise.all(
      mrns.map((mrn) =>
        admin.createResource<Patient>({
          resourceType: 'Patient',
          meta: { accounts: [{ reference: clinicRef(uptown) }] },
          name: [{ given: ['Given'], family: `Imported ${mrn}` }],
          identifier: [{ system: 'https://mso.example/mrn', value: mrn }],
          birthDate: '1990-02-03',
        }),
      ),
    );
    const clinicsOfAll = async () => Promise.all(patients.map(async (patient) => accountsOf(await readPatient(admin, patient.id)).sort()));
    const before = await clinicsOfAll();
    const rows = ['mrn,given_name,family_name,birth_date,clinics', ...mrns.map((mrn) => `${mrn},Given,Imported ${mrn},1990-02-03,Riverside`)];
    const staged = unwrapOk(await signedIn.api.stageImportFile({ name: 'move.csv', contentBase64: Buffer.from(rows.join('\n')).toString('base64') }));
    const started = unwrapOk(
      await signedIn.api.startImport({ token: staged.token, options: { createMissingClinics: false, updateDemographics: false, sendInvites: false, strict: false } }),
    );
    await jobEnded(started.jobId);
    expect(await clinicsOfAll()).not.toEqual(before);

    window.location.hash = '#/activity';
    render(<Root api={signedIn.api} />);
    const table = await screen.findByTestId('activity-table', {}, { timeout: 10_000 });
    await userEvent.click(await within(table).findByText('Undo import', {}, { timeout: 10_000 }));
    const dialog = await screen.findByRole('dialog', {}, { timeout: 5000 });
    expect(await within(dialog).findByTestId('undo-preview', {}, { timeout: 5000 })).toHaveTextContent(/3 rows/);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Undo 3 changes' }));
    const panel = await within(dialog).findByTestId('job-progress', {}, { timeout: 10_000 });
    await waitFor(() => expect(panel).toHaveAttribute('data-state', 'succeeded'), { timeout: 20_000 });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Close' }));

    expect(await clinicsOfAll()).toEqual(before);
  });
});

function jobEnded(jobId: string): Promise<void> {
  return new Promise((resolve) => {
    const stop = signedIn.api.on.jobProgress((event) => {
      if (event.jobId !== jobId || event.state === 'running') return;
      stop();
      resolve();
    });
  });
}
