/**
 * The Import page's wizard over the REAL main handlers, signed in to a local Medplum server over
 * real HTTP: a dropped file goes to main as bytes, the column mapping is corrected, the dry run
 * is filtered, the confirm sentence says what will change, the import runs as a job, and the
 * server holds exactly the file's patients. A reloaded page finds the summary again; an import
 * cancelled part-way is offered for resume on the page and in a notice at start.
 */
import type { MedplumClient } from '@medplum/core';
import { MantineProvider } from '@mantine/core';
import { ModalsProvider } from '@mantine/modals';
import { Notifications, notifications } from '@mantine/notifications';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MsoApi } from '../../../preload/api/create-api';
import { ApiProvider } from '../../../renderer/src/api/api-context';
import { InterruptedImportNotice } from '../../../renderer/src/import/InterruptedImportNotice';
import { JobsProvider } from '../../../renderer/src/jobs/JobsContext';
import { ImportPage } from '../../../renderer/src/pages/ImportPage';
import { SessionProvider } from '../../../renderer/src/session/SessionContext';
import { theme } from '../../../renderer/src/theme';
import { unwrapOk } from '../../support/envelope';
import { type LocalServer, createClinic, signInAsAdmin, startTestServer } from '../../support/local-server';
import { type SignedInMain, signInMainAsAdmin } from '../people/harness';

let server: LocalServer;
let admin: MedplumClient;
let signedIn: SignedInMain;
const MRN_SYSTEM = 'https://mso.example/mrn';

function renderImport(api: MsoApi) {
  notifications.clean();
  return render(
    <MantineProvider theme={theme} env="test">
      <Notifications />
      <ApiProvider api={api}>
        <SessionProvider>
          <JobsProvider>
            <ModalsProvider>
              <MemoryRouter initialEntries={['/import']}>
                <InterruptedImportNotice />
                <ImportPage />
              </MemoryRouter>
            </ModalsProvider>
          </JobsProvider>
        </SessionProvider>
      </ApiProvider>
    </MantineProvider>,
  );
}

async function patientsWithPrefix(prefix: string): Promise<Map<string, string[]>> {
  const patients = await admin.searchResources('Patient', { _count: '1000' }, { cache: 'no-cache' } as RequestInit);
  const state = new Map<string, string[]>();
  for (const patient of patients) {
    const mrn = patient.identifier?.find((identifier) => identifier.system === MRN_SYSTEM)?.value ?? '';
    if (mrn.startsWith(prefix)) state.set(mrn, (patient.meta?.accounts ?? []).map((account) => account.reference ?? '').sort());
  }
  return state;
}

async function drop(file: File) {
  fireEvent.drop(await screen.findByTestId('import-drop-zone'), { dataTransfer: { files: [file], types: ['Files'] } });
}

beforeAll(async () => {
  server = await startTestServer();
  admin = await signInAsAdmin(server);
  signedIn = await signInMainAsAdmin(server);
});
afterAll(async () => {
  await server.stop();
});

describe('the import wizard', () => {
  it('imports a dropped roster after a corrected mapping, a filtered dry run and a confirm sentence; the server holds exactly its patients', async () => {
    const uptown = await createClinic(admin, 'Uptown Clinic');
    const view = renderImport(signedIn.api);
    const csv = [
      'Chart,given_name,family_name,birth_date,clinics',
      'DW-1,Ada,Quill,1990-02-03,Uptown Clinic',
      'DW-2,Ben,Quill,1985-07-04,Uptown Clinic',
      'DW-3,Cy,Quill,1985-02-30,Uptown Clinic',
      'DW-4,Di,Quill,2001-01-01,Uptown Clinic',
    ].join('\n');
    await drop(new File([csv], 'uptown.csv', { type: 'text/csv' }));

    // No mrn column: the kind is unknown until the user says which; then "Chart" is mapped to mrn.
    expect(await screen.findByText(/has neither an mrn column/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Check against the server' })).toBeDisabled();
    await userEvent.click(screen.getByRole('textbox', { name: /Roster of/ }));
    await userEvent.click(await screen.findByRole('option', { name: 'Patients' }));
    expect(await screen.findByText(/lacks the required column mrn/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('textbox', { name: 'Read column 1 (Chart) as' }));
    await userEvent.click(await screen.findByRole('option', { name: 'mrn' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Check against the server' })).toBeEnabled());
    expect(screen.getByTestId('mapping-1')).toHaveTextContent('your choice');
    expect(screen.getByText(/4 data rows, values separated by commas · 3 valid, 1 with errors/)).toBeInTheDocument();
    expect(await patientsWithPrefix('DW-')).toEqual(new Map());

    await userEvent.click(screen.getByRole('button', { name: 'Check against the server' }));
    const counts = await screen.findByTestId('plan-counts');
    expect(counts).toHaveTextContent('3rows to create');
    expect(counts).toHaveTextContent('1rows with errors');
    const issues = screen.getByTestId('import-issues');
    expect(within(issues).getAllByRole('row')).toHaveLength(2);
    expect(within(issues).getByText('4 (birth_date)')).toBeInTheDocument();
    await userEvent.click(screen.getByText('All rows'));
    expect(within(issues).getAllByRole('row')).toHaveLength(5);
    expect(within(issues).getAllByText('create')).toHaveLength(3);
    await userEvent.type(screen.getByRole('textbox', { name: 'Filter the rows' }), 'calendar');
    expect(within(issues).getAllByRole('row')).toHaveLength(2);
    await userEvent.clear(screen.getByRole('textbox', { name: 'Filter the rows' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Filter the rows' }), '3');
    expect(within(issues).getAllByRole('row').map((row) => row.textContent)).toEqual(['LineStatusColumnWhat to do', '3create']);

    await userEvent.click(screen.getByRole('button', { name: 'Choose options' }));
    expect(screen.queryByLabelText('Send invitation emails')).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Review the import' }));
    const confirm = await screen.findByTestId('import-confirm');
    expect(confirm).toHaveTextContent('3 patients will be created and enrolled in Uptown Clinic; 1 row has errors and will be skipped.');
    expect(screen.getByText(/This takes under a minute at .* of 50,000 points a minute \(300 points\)/)).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Import' }));
    const summary = await screen.findByTestId('import-summary', {}, { timeout: 15_000 });
    expect(summary).toHaveTextContent('3 patients created, 0 changed.');
    expect(summary).toHaveTextContent('1 row with errors was skipped.');
    expect(screen.getByRole('button', { name: 'Save error report (1 row)' })).toBeInTheDocument();
    const held = await patientsWithPrefix('DW-');
    expect([...held.keys()].sort()).toEqual(['DW-1', 'DW-2', 'DW-4']);
    for (const clinics of held.values()) expect(clinics).toEqual([`Organization/${uptown.id}`]);

    // A reloaded window finds the summary again; "Import another file" closes it.
    view.unmount();
    renderImport(signedIn.api);
    expect(await screen.findByTestId('import-summary')).toHaveTextContent('3 patients created');
    await userEvent.click(screen.getByRole('button', { name: 'Import another file' }));
    expect(await screen.findByTestId('import-drop-zone')).toBeInTheDocument();
    expect(unwrapOk(await signedIn.api.listImports())).toEqual([]);
  });

  it('offers an import cancelled part-way for resume, in a notice at start and on the page, and resuming finishes it', async () => {
    await createClinic(admin, 'Resume Clinic');
    const rows = ['mrn,given_name,family_name,birth_date,clinics'];
    for (let index = 0; index < 250; index++) rows.push(`DR-${index},Given,Family,1990-02-03,Resume Clinic`);
    const staged = unwrapOk(await signedIn.api.stageImportFile({ name: 'resume.csv', contentBase64: Buffer.from(rows.join('\n')).toString('base64') }));
    const started = unwrapOk(await signedIn.api.startImport({ token: staged.token, options: { createMissingClinics: false, updateDemographics: false, sendInvites: false, strict: false } }));
    await new Promise<void>((resolve) => {
      const stop = signedIn.api.on.jobProgress((event) => {
        if (event.jobId !== started.jobId) return;
        if (event.state === 'running' && event.done > 0) void signedIn.api.cancelJob({ jobId: started.jobId });
        if (event.state !== 'running') {
          stop();
          resolve();
        }
      });
    });
    const before = (await patientsWithPrefix('DR-')).size;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(250);

    renderImport(signedIn.api);
    expect(await screen.findByText('An import did not finish', { selector: '.mantine-Notification-title' })).toBeInTheDocument();
    const offer = await screen.findByTestId('interrupted-import');
    expect(offer).toHaveTextContent(`resume.csv (patients)`);
    expect(offer).toHaveTextContent(`${before} done so far`);
    await userEvent.click(within(offer).getByRole('button', { name: 'Resume' }));
    expect(await screen.findByTestId('import-summary', {}, { timeout: 15_000 })).toHaveTextContent(`${250 - before} patients created`);
    expect((await patientsWithPrefix('DR-')).size).toBe(250);
  });
});
