/**
 * Who can see what, on the clinician, patient and clinic pages, and the audit's exports, over the
 * real handlers and a local server: a clinician with one labelled membership per clinic sees each
 * clinic's patients with counts; a patient lists the clinicians who see them; a clinic lists both.
 */
import type { MedplumClient, WithId } from '@medplum/core';
import type { Organization, Patient, ProjectMembership } from '@medplum/fhirtypes';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { accessEntry, withLabel } from '../../../main/engines/access-list';
import { Root } from '../../../renderer/src/Root';
import { type LocalServer, createClinic, createClinician, createPatientInClinics, msoPolicyReference, signInAsAdmin, startTestServer } from '../../support/local-server';
import { type SignedInMain, renderPeople, signInMainAsAdmin } from '../people/harness';

let server: LocalServer;
let admin: MedplumClient;
let signedIn: SignedInMain;
let uptown: WithId<Organization>;
let riverside: WithId<Organization>;
let patients: WithId<Patient>[];
let practitionerId = '';

beforeAll(async () => {
  server = await startTestServer();
  admin = await signInAsAdmin(server);
  uptown = await createClinic(admin, 'Uptown Clinic');
  riverside = await createClinic(admin, 'Riverside Clinic');
  patients = [
    await createPatientInClinics(admin, [uptown], 'Lovelace'),
    await createPatientInClinics(admin, [uptown], 'Hopper'),
    await createPatientInClinics(admin, [riverside], 'Curie'),
  ];
  // Strict isolation: one membership per clinic, each with its clinic's label.
  const first = await createClinician(server, admin, [uptown]);
  await admin.updateResource<ProjectMembership>(withLabel(first.membership, 'Uptown Clinic') as WithId<ProjectMembership>);
  const second = (await admin.invite(server.projectId, {
    resourceType: 'Practitioner',
    firstName: 'Test',
    lastName: 'Twice',
    email: first.email,
    sendEmail: false,
    scope: 'project',
    forceNewMembership: true,
    membership: { profile: first.membership.profile, accessPolicy: msoPolicyReference(server), access: [accessEntry(msoPolicyReference(server), { reference: `Organization/${riverside.id}` })] },
  } as Parameters<MedplumClient['invite']>[1])) as WithId<ProjectMembership>;
  await admin.updateResource<ProjectMembership>(withLabel(second, 'Riverside Clinic') as WithId<ProjectMembership>);
  practitionerId = first.practitioner.reference?.split('/')[1] ?? '';
  signedIn = await signInMainAsAdmin(server);
});
afterAll(async () => {
  await server.stop();
});

describe('effective access', () => {
  it('a clinician page says what they can see, per labelled membership with counts, and leads to "view as"', async () => {
    renderPeople(signedIn.api, `/clinicians/${practitionerId}`);
    const section = await screen.findByTestId('clinician-access', {}, { timeout: 5000 });
    await waitFor(() => expect(within(section).getByTestId('clinician-patient-count')).toHaveTextContent(/can see 3 patients through 2 memberships, one per clinic\.$/), { timeout: 5000 });
    const memberships = within(section).getAllByTestId('membership-access');
    expect(memberships.map((m) => within(m).getByText(/^Membership “/).textContent).sort()).toEqual(['Membership “Riverside Clinic”', 'Membership “Uptown Clinic”']);
    const uptownBlock = memberships.find((m) => m.textContent?.includes('Membership “Uptown Clinic”')) as HTMLElement;
    expect(within(uptownBlock).getByText('2 patients')).toBeInTheDocument();
    expect(within(uptownBlock).getByRole('link', { name: 'Uptown Clinic' })).toHaveAttribute('href', `/clinics/${uptown.id}`);
    expect(within(section).getByRole('link', { name: /^View as / })).toHaveAttribute('href', `/audit?tab=view-as&clinician=${practitionerId}`);
  });

  it('a patient page lists the clinicians who can see them and through which clinic', async () => {
    renderPeople(signedIn.api, `/patients/${patients[2]?.id}`);
    const section = await screen.findByTestId('patient-access', {}, { timeout: 5000 });
    await waitFor(() => expect(within(section).getByTestId('patient-clinician-count')).toHaveTextContent("1 clinician can see Test Curie's records, through Riverside Clinic."), { timeout: 5000 });
    const table = within(section).getByTestId('patient-clinicians');
    expect(within(table).getByText('(Riverside Clinic)')).toBeInTheDocument();
    expect(within(table).getByRole('link', { name: 'Riverside Clinic' })).toHaveAttribute('href', `/clinics/${riverside.id}`);
  });

  it('a clinic shows its clinicians and patients under "Who can see what"', async () => {
    window.location.hash = `#/clinics/${uptown.id}?tab=access`;
    render(<Root api={signedIn.api} />);
    const sentence = await screen.findByTestId('clinic-access-sentence', {}, { timeout: 5000 });
    expect(sentence).toHaveTextContent('1 clinician can see the 2 patients of Uptown Clinic.');
    expect(within(screen.getByTestId('clinic-access-patients')).getAllByRole('link').map((link) => link.textContent).sort()).toEqual(['Test Hopper', 'Test Lovelace']);
    expect(within(screen.getByTestId('clinic-access-clinicians')).getByText('(Uptown Clinic)')).toBeInTheDocument();
  });
});

describe('exports', () => {
  it('saves the CSV main wrote and previews the printable report', async () => {
    const saved: Blob[] = [];
    const createObjectURL = vi.fn((blob: Blob) => {
      saved.push(blob);
      return 'blob:audit';
    });
    Object.assign(URL, { createObjectURL, revokeObjectURL: () => undefined });
    const clicks = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    window.location.hash = '#/audit';
    render(<Root api={signedIn.api} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Run audit' }, { timeout: 5000 }));
    await waitFor(() => expect(screen.getByTestId('audit-summary')).toHaveTextContent(/^Audited /), { timeout: 15_000 });
    // The clinician's memberships are labelled; the stock policy's cross-clinic writes remain to report.
    expect(screen.getByText('Clinicians can write records on other clinics’ patients')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]?.type).toBe('text/csv;charset=utf-8');
    expect(await saved[0]?.text()).toContain('Clinicians can write records on other clinics’ patients');
    expect(clicks).toHaveBeenCalledTimes(1);
    clicks.mockRestore();

    await userEvent.click(screen.getByRole('button', { name: 'Printable report' }));
    const dialog = await screen.findByRole('dialog', { name: 'Printable report' });
    const preview = within(dialog).getByTestId('report-preview');
    await waitFor(() => expect(preview.shadowRoot?.textContent).toContain('Clinicians can write records on other clinics’ patients'));
    // The report's own styles stay inside its shadow root.
    const style = preview.shadowRoot?.querySelector('style')?.textContent ?? '';
    expect(style.length).toBeGreaterThan(0);
    expect(document.head.innerHTML).not.toContain(style);
  });
});
