/**
 * The Access audit screen over the real handlers and a local server: an unsafe project shows its
 * findings by severity with the records concerned; "Review fix" says what will change before
 * anything is written, the repair runs as a job, and the next audit no longer lists the finding.
 * "View as clinician" shows the list the server verified.
 */
import type { MedplumClient, WithId } from '@medplum/core';
import type { Observation, Organization, Patient } from '@medplum/fhirtypes';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Root } from '../../../renderer/src/Root';
import { type LocalServer, createClinic, createClinician, createPatientInClinics, signInAsAdmin, startTestServer } from '../../support/local-server';
import { type SignedInMain, signInMainAsAdmin, signInMainAsReader } from '../people/harness';

let server: LocalServer;
let admin: MedplumClient;
let signedIn: SignedInMain;
let uptown: WithId<Organization>;
let riverside: WithId<Organization>;
let ada: WithId<Patient>;
let drifted: WithId<Observation>;
let clinicianId = '';

beforeAll(async () => {
  server = await startTestServer();
  admin = await signInAsAdmin(server);
  uptown = await createClinic(admin, 'Uptown Clinic');
  riverside = await createClinic(admin, 'Riverside Clinic');
  ada = await createPatientInClinics(admin, [uptown], 'Lovelace');
  await createPatientInClinics(admin, [riverside], 'Hopper');
  clinicianId = (await createClinician(server, admin, [uptown])).practitioner.reference?.split('/')[1] ?? '';
  // An admin write that carried its own meta: the observation belongs to Riverside, its patient to Uptown.
  drifted = await admin.createResource<Observation>({
    resourceType: 'Observation',
    status: 'final',
    code: { text: 'Heart rate' },
    subject: { reference: `Patient/${ada.id}` },
    meta: { accounts: [{ reference: `Organization/${riverside.id}` }] },
  });
  signedIn = await signInMainAsAdmin(server);
});
afterAll(async () => {
  await server.stop();
});

function renderAudit(hash = '#/audit', api = signedIn.api) {
  window.location.hash = hash;
  return render(<Root api={api} />);
}

async function runAudit(label: 'Run audit' | 'Run audit again') {
  await userEvent.click(await screen.findByRole('button', { name: label }, { timeout: 5000 }));
  await waitFor(() => expect(screen.getByTestId('audit-summary')).toHaveTextContent(/^Audited /), { timeout: 15_000 });
}

describe('access audit screen', () => {
  it('shows findings by severity, reviews a fix, applies it as a job, and the finding is gone after the next audit', async () => {
    renderAudit();
    // Before any run: what the audit does, and nothing to export yet.
    expect(await screen.findByText(/Reads every membership, clinic and patient/, {}, { timeout: 5000 })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Export CSV' })).toBeDisabled();
    await runAudit('Run audit');

    const critical = screen.getByTestId('findings-critical');
    expect(within(critical).getByRole('heading', { name: /^Critical \(\d+\)$/ })).toBeInTheDocument();
    const drift = within(critical).getByText('Records whose clinics differ from their patient’s').closest('[data-testid="finding"]') as HTMLElement;
    expect(drift).toHaveAttribute('data-finding-id', 'compartment-drift:project');
    // The people concerned link to their pages.
    expect(within(drift).getByRole('link', { name: 'Test Lovelace' })).toHaveAttribute('href', `#/patients/${ada.id}`);
    // Cross-clinic writes are a warning on a stock policy.
    expect(within(screen.getByTestId('findings-warning')).getByText('Clinicians can write records on other clinics’ patients')).toBeInTheDocument();

    await userEvent.click(within(drift).getByRole('button', { name: 'Review fix' }));
    const dialog = await screen.findByRole('dialog');
    const preview = await within(dialog).findByTestId('repair-preview', {}, { timeout: 5000 });
    expect(within(preview).getByTestId('repair-changes')).toHaveTextContent(/Observation|Heart rate/);
    expect(preview).toHaveTextContent('Nothing has been written yet.');
    // Still as it was: the preview wrote nothing.
    expect((await admin.readResource('Observation', drifted.id, { cache: 'no-cache' })).meta?.accounts?.map((a) => a.reference)).toEqual([`Organization/${riverside.id}`]);

    await userEvent.click(within(dialog).getByRole('button', { name: 'Apply the fix to 1 record' }));
    await waitFor(() => expect(within(dialog).getByTestId('job-progress')).toHaveAttribute('data-state', 'succeeded'), { timeout: 15_000 });
    expect(within(dialog).getByTestId('job-message')).toHaveTextContent(/Run the audit again to check\.$/);
    expect((await admin.readResource('Observation', drifted.id, { cache: 'no-cache' })).meta?.accounts?.map((a) => a.reference)).toEqual([`Organization/${uptown.id}`]);
    // The audit runs again by itself and the dialog says the finding is gone.
    await waitFor(() => expect(within(dialog).getByTestId('recheck')).toHaveTextContent('Audited again: this finding is gone.'), { timeout: 15_000 });
    await userEvent.click(within(dialog).getByRole('button', { name: /^Close$/ }));

    // The audit ran again by itself after the repair: the finding is gone, the others stay.
    await waitFor(() => expect(document.querySelector('[data-finding-id="compartment-drift:project"]')).toBeNull(), { timeout: 15_000 });
    expect(screen.getByText('Clinicians can write records on other clinics’ patients')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Export CSV' })).toBeEnabled();
  });

  it('shows what a chosen clinician would see, verified by the server', async () => {
    renderAudit(`#/audit?tab=view-as&clinician=${clinicianId}`);
    const result = await screen.findByTestId('view-as-result', {}, { timeout: 10_000 });
    const membership = within(result).getByTestId('view-as-membership');
    expect(within(membership).getByTestId('verification')).toHaveAttribute('data-state', 'verified');
    expect(within(membership).getByTestId('computed-count')).toHaveTextContent('1 patient');
    const rows = within(within(membership).getByTestId('view-as-patients')).getAllByRole('link');
    expect(rows.map((link) => link.textContent)).toEqual(['Test Lovelace']);
  });

  it('says the view is empty until a clinician is chosen', async () => {
    renderAudit('#/audit?tab=view-as');
    expect(await screen.findByText('Choose a clinician above to see the patient list they would get.', {}, { timeout: 5000 })).toBeInTheDocument();
  });

  it('offers no audit to someone who is not a project administrator, and says why', async () => {
    const reader = await signInMainAsReader(server, admin);
    renderAudit('#/audit', reader.api);
    expect(await screen.findByText('The audit reads every membership and policy of the project, which needs a project administrator.', {}, { timeout: 5000 })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Run audit' })).toBeDisabled();
    expect(screen.getByText('Read only: not a project administrator')).toBeInTheDocument();
  });
});
