/** One patient's page: clinics editor and consent, over real handlers and a real local server. */
import type { MedplumClient, WithId } from '@medplum/core';
import type { Organization, Patient } from '@medplum/fhirtypes';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, createClinic, createPatientInClinics, signInAsAdmin, startTestServer } from '../../support/local-server';
import { type SignedInMain, accountsOf, readPatient, renderPeople, signInMainAsAdmin, signInMainAsReader } from './harness';

let server: LocalServer;
let admin: MedplumClient;
let signedIn: SignedInMain;
let uptown: WithId<Organization>;
let riverside: WithId<Organization>;

beforeAll(async () => {
  server = await startTestServer();
  admin = await signInAsAdmin(server);
  [uptown, riverside] = [await createClinic(admin, 'Uptown Clinic'), await createClinic(admin, 'Riverside')];
  signedIn = await signInMainAsAdmin(server);
});
afterAll(async () => {
  await server.stop();
});

async function janeDoe(clinics: WithId<Organization>[]): Promise<WithId<Patient>> {
  return admin.createResource<Patient>({
    resourceType: 'Patient',
    meta: { accounts: clinics.map((clinic) => ({ reference: `Organization/${clinic.id}` })) },
    name: [{ given: ['Jane'], family: 'Doe' }],
    identifier: [{ system: 'https://mso.example/mrn', value: 'MRN-42' }],
    birthDate: '1980-02-28',
    gender: 'female',
  });
}

describe('patient page', () => {
  it('shows the patient with MRN, birth date, sex and clinics', async () => {
    const patient = await janeDoe([uptown]);
    renderPeople(signedIn.api, `/patients/${patient.id}`);
    expect(await screen.findByRole('heading', { name: 'Jane Doe', level: 2 })).toBeInTheDocument();
    const facts = screen.getByTestId('person-facts');
    expect(facts).toHaveTextContent('MRN-42');
    expect(facts).toHaveTextContent('1980-02-28');
    expect(facts).toHaveTextContent('Female');
    expect(screen.getByTestId('current-clinics')).toHaveTextContent('Uptown Clinic');
  });

  it('says who will see the records before adding a clinic, then the server holds the clinic', async () => {
    const patient = await janeDoe([uptown]);
    renderPeople(signedIn.api, `/patients/${patient.id}`);
    await screen.findByRole('heading', { name: 'Jane Doe', level: 2 });
    await userEvent.click(screen.getByRole('textbox', { name: 'Add to clinics' }));
    // Clinics the patient already has are not offered again.
    expect(screen.queryByRole('option', { name: 'Uptown Clinic' })).not.toBeInTheDocument();
    await userEvent.click(await screen.findByRole('option', { name: 'Riverside' }));
    expect(screen.getByTestId('add-consequence')).toHaveTextContent("Clinicians of Riverside will be able to see Jane Doe's records.");

    await userEvent.click(screen.getByRole('button', { name: 'Add to clinics' }));
    await waitFor(() => expect(screen.getByTestId('current-clinics')).toHaveTextContent('Riverside'));
    expect(await screen.findByText(/Clinicians of Riverside can now see Jane Doe's records/)).toBeInTheDocument();
    expect(accountsOf(await readPatient(admin, patient.id))).toEqual(
      expect.arrayContaining([`Organization/${uptown.id}`, `Organization/${riverside.id}`]),
    );
  });

  it('asks before removing a clinic, keeps it on "Keep access", and removes it on confirmation', async () => {
    const patient = await janeDoe([uptown]);
    renderPeople(signedIn.api, `/patients/${patient.id}`);
    await screen.findByRole('heading', { name: 'Jane Doe', level: 2 });

    await userEvent.click(screen.getByRole('button', { name: 'Remove from Uptown Clinic' }));
    let dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent("Clinicians of Uptown Clinic will no longer see Jane Doe's records, including their observations and encounters.");
    expect(dialog).toHaveTextContent('Jane Doe will then belong to no clinic, so no clinician will see the records.');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Keep access' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(accountsOf(await readPatient(admin, patient.id))).toContain(`Organization/${uptown.id}`);

    await userEvent.click(screen.getByRole('button', { name: 'Remove from Uptown Clinic' }));
    dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove from Uptown Clinic' }));
    expect(await screen.findByTestId('no-clinics')).toHaveTextContent('Jane Doe belongs to no clinic');
    expect(accountsOf(await readPatient(admin, patient.id))).not.toContain(`Organization/${uptown.id}`);
  });

  it('says consent gating is not set up, still records consent, and asks before withdrawing it', async () => {
    const patient = await janeDoe([uptown]);
    renderPeople(signedIn.api, `/patients/${patient.id}`);
    const section = await screen.findByTestId('consent-section');
    expect(section).toHaveTextContent('Consent gating is not in use');
    // It points to where gating is chosen (Access audit), which every connection can reach, the sandbox too.
    expect(section).toHaveTextContent('choose "Clinic access with consent" in Access audit');
    expect(section).not.toHaveTextContent('in Connections');

    await userEvent.click(within(section).getByRole('button', { name: 'Record consent' }));
    await waitFor(() => expect(screen.getByTestId('consent-section')).toHaveTextContent('Granted'));
    const consentAccounts = () => readPatient(admin, patient.id).then((stored) => accountsOf(stored).filter((reference) => reference.startsWith('Consent/')));
    expect(await consentAccounts()).toHaveLength(1);

    await userEvent.click(screen.getByRole('button', { name: 'Withdraw consent' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent("no clinician will see Jane Doe's records any more");
    await userEvent.click(within(dialog).getByRole('button', { name: 'Withdraw consent' }));
    await waitFor(() => expect(screen.getByTestId('consent-section')).toHaveTextContent('Not granted'));
    expect(await consentAccounts()).toHaveLength(0);
  });

  it('is read only for someone who is not a project administrator', async () => {
    const patient = await createPatientInClinics(admin, [uptown], 'Readonly');
    const reader = await signInMainAsReader(server, admin);
    expect(reader.session.isProjectAdmin).toBe(false);
    renderPeople(reader.api, `/patients/${patient.id}`);
    expect(await screen.findByRole('heading', { name: 'Test Readonly', level: 2 })).toBeInTheDocument();
    expect(screen.getByText('Read only: not a project administrator')).toBeInTheDocument();
    expect(screen.getByTestId('current-clinics')).toHaveTextContent('Uptown Clinic');
    expect(screen.queryByRole('button', { name: 'Add to clinics' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Remove from/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Record consent' })).not.toBeInTheDocument();
  });

  it('says what happened when the patient does not exist', async () => {
    renderPeople(signedIn.api, '/patients/no-such-patient');
    const notice = (await screen.findByText('Could not open this patient')).closest('[role="alert"]');
    expect(notice).toHaveTextContent(/no longer exists/);
    expect(screen.getByRole('link', { name: 'Back to Patients' })).toBeInTheDocument();
  });
});
