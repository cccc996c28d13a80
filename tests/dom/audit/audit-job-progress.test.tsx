/**
 * "Run audit" as a job on the Access audit screen: over a slow local server (150 ms a request) the
 * progress panel shows requests of the bound with Cancel; Cancel ends it stopped with nothing
 * replaced, and the next run ends with the findings and no panel left.
 */
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Root } from '../../../renderer/src/Root';
import { type LocalServer, createClinic, createPatientInClinics, signInAsAdmin, startTestServer } from '../../support/local-server';
import { type SignedInMain, signInMainAsAdmin } from '../people/harness';

let server: LocalServer;
let signedIn: SignedInMain;

beforeAll(async () => {
  server = await startTestServer({ faults: { seed: 5, latencyMs: 150 } });
  const admin = await signInAsAdmin(server);
  await createPatientInClinics(admin, [await createClinic(admin, 'Uptown Clinic')], 'Lovelace');
  signedIn = await signInMainAsAdmin(server);
}, 60_000);
afterAll(async () => {
  await server.stop();
});

describe('the audit job on the audit page', () => {
  it('shows progress with Cancel; Cancel stops it with no report; the next run ends with the findings', async () => {
    window.location.hash = '#/audit';
    render(<Root api={signedIn.api} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Run audit' }, { timeout: 10_000 }));

    expect(await screen.findByTestId('job-progress', {}, { timeout: 10_000 })).toHaveAttribute('data-state', 'running');
    // Another tab and back: the running audit is followed again, not started anew.
    await userEvent.click(screen.getByRole('tab', { name: 'View as clinician' }));
    await userEvent.click(screen.getByRole('tab', { name: 'Findings' }));
    const panel = await screen.findByTestId('job-progress', {}, { timeout: 10_000 });
    expect(panel).toHaveAttribute('data-state', 'running');
    // Counted against the bound once the first request (the batch of counts) is answered.
    await waitFor(() => expect(panel).toHaveTextContent(/^[1-9]\d* of \d+/), { timeout: 10_000 });
    expect(within(panel).getByTestId('job-message')).toHaveTextContent(/^Reading the project in at most \d+ requests; nothing is written\.$/);
    await userEvent.click(within(panel).getByRole('button', { name: 'Cancel' }));

    await waitFor(() => expect(screen.getByTestId('job-progress')).toHaveAttribute('data-state', 'cancelled'), { timeout: 10_000 });
    expect(screen.getByTestId('job-message')).toHaveTextContent(/^Audit stopped after \d+ requests? of at most \d+\. Nothing was written; the previous report, if any, is kept\.$/);
    expect(within(screen.getByTestId('job-progress')).queryByRole('button', { name: 'Cancel' })).toBeNull();
    // No report: the page still says what the audit does, and there is nothing to export.
    expect(screen.getByTestId('audit-summary')).toHaveTextContent(/^Reads every membership/);
    expect(screen.getByRole('button', { name: 'Export CSV' })).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Run audit' }));
    await waitFor(() => expect(screen.getByTestId('audit-summary')).toHaveTextContent(/^Audited /), { timeout: 30_000 });
    // Two audits were started in all (the first followed, not restarted, after the tab change).
    expect(new Set(signedIn.main.progress.filter((p) => p.kind === 'access-audit').map((p) => p.jobId)).size).toBe(2);
    expect(screen.queryByTestId('job-progress')).toBeNull();
    expect(screen.getByTestId('findings-warning')).toBeInTheDocument();
  }, 60_000);
});
