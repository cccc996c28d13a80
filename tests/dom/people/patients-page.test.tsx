/** The Patients list and its "New patient" dialog, over real handlers and a real local server. */
import type { MedplumClient } from '@medplum/core';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '@medplum/fhirtypes';
import { type LocalServer, createClinic, createPatientInClinics, signInAsAdmin, startTestServer } from '../../support/local-server';
import { type SignedInMain, accountsOf, readPatient, renderPeople, signInMainAsAdmin } from './harness';

let server: LocalServer;
let admin: MedplumClient;
let signedIn: SignedInMain;

beforeAll(async () => {
  server = await startTestServer();
  admin = await signInAsAdmin(server);
  signedIn = await signInMainAsAdmin(server);
});
afterAll(async () => {
  await server.stop();
});

describe('patients list', () => {
  it('says what to do next while the project has no patient', async () => {
    renderPeople(signedIn.api, '/patients');
    expect(await screen.findByTestId('empty-state')).toHaveTextContent('No patients yet. Create a patient or import a roster.');
    expect(screen.getAllByRole('button', { name: 'New patient' }).length).toBeGreaterThan(0);
  });

  it('creates a patient after saying who will see the record, and the server holds it in that clinic', async () => {
    const uptown = await createClinic(admin, 'Uptown Clinic');
    renderPeople(signedIn.api, '/patients');
    await userEvent.click((await screen.findAllByRole('button', { name: 'New patient' }))[0]!);
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Given name/ }), 'Jane');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Family name/ }), 'Doe');

    // Validation as you type, from the schema main checks.
    const birthDate = within(dialog).getByRole('textbox', { name: /Birth date/ });
    await userEvent.type(birthDate, '1980-02-30');
    expect(await within(dialog).findByText('Must be a real date')).toBeInTheDocument();
    await userEvent.clear(birthDate);
    await userEvent.type(birthDate, '1980-02-28');
    expect(within(dialog).queryByText('Must be a real date')).not.toBeInTheDocument();
    await userEvent.type(within(dialog).getByRole('textbox', { name: /MRN/ }), 'MRN-1001');

    expect(within(dialog).getByTestId('create-consequence')).toHaveTextContent('Jane Doe will belong to no clinic yet');
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Clinics' }), 'Upt');
    await userEvent.click(await screen.findByRole('option', { name: 'Uptown Clinic' }));
    expect(within(dialog).getByTestId('create-consequence')).toHaveTextContent('Jane Doe will be visible to the clinicians of Uptown Clinic.');

    await userEvent.click(within(dialog).getByRole('button', { name: 'Create patient' }));
    // It opens the new patient's page.
    expect(await screen.findByRole('heading', { name: 'Jane Doe', level: 2 }, { timeout: 5000 })).toBeInTheDocument();
    expect(await screen.findByText(/Jane Doe was created and belongs to Uptown Clinic/)).toBeInTheDocument();

    const [found] = await admin.searchResources('Patient', { identifier: 'https://mso.example/mrn|MRN-1001' }, { cache: 'no-cache' });
    expect(found).toBeDefined();
    const stored = await readPatient(admin, found!.id);
    expect(stored).toMatchObject({ birthDate: '1980-02-28', name: [{ given: ['Jane'], family: 'Doe' }] });
    expect(accountsOf(stored)).toContain(`Organization/${uptown.id}`);
  });

  it('does not send an invalid patient to main', async () => {
    renderPeople(signedIn.api, '/patients');
    await userEvent.click((await screen.findAllByRole('button', { name: 'New patient' }))[0]!);
    const dialog = await screen.findByRole('dialog');
    const before = (await admin.search('Patient', { _total: 'accurate', _count: '0' }, { cache: 'no-cache' })).total;
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create patient' }));
    expect((await within(dialog).findAllByText('Is required')).length).toBeGreaterThanOrEqual(2);
    expect((await admin.search('Patient', { _total: 'accurate', _count: '0' }, { cache: 'no-cache' })).total).toBe(before);
  });
});

describe('patients list over many pages', () => {
  let pagedServer: LocalServer;
  let pagedMain: SignedInMain;

  beforeAll(async () => {
    pagedServer = await startTestServer();
    const pagedAdmin = await signInAsAdmin(pagedServer);
    const riverside = await createClinic(pagedAdmin, 'Riverside');
    const families = Array.from({ length: 55 }, (_, index) => `Paged${String(index + 1).padStart(2, '0')}`);
    await Promise.all(families.map((family) => createPatientInClinics(pagedAdmin, [riverside], family)));
    await pagedAdmin.createResource<Patient>({
      resourceType: 'Patient',
      name: [{ given: ['Maria'], family: 'Quintero' }],
      identifier: [{ system: 'https://mso.example/mrn', value: 'MRN-7788' }],
      birthDate: '1975-06-01',
    });
    pagedMain = await signInMainAsAdmin(pagedServer);
  });
  afterAll(async () => {
    await pagedServer.stop();
  });

  it('pages through the server 50 at a time with a row count', async () => {
    renderPeople(pagedMain.api, '/patients');
    expect(await screen.findByTestId('row-count')).toHaveTextContent('1–50 of 56');
    const table = screen.getByTestId('patients-table');
    expect(within(table).getAllByRole('row')).toHaveLength(51);
    expect(within(table).getByText('Test Paged01')).toBeInTheDocument();
    expect(within(table).getAllByText('Riverside').length).toBeGreaterThan(0);

    await userEvent.click(screen.getByRole('button', { name: '2' }));
    await waitFor(() => expect(screen.getByTestId('row-count')).toHaveTextContent('51–56 of 56'));
    const second = screen.getByTestId('patients-table');
    expect(within(second).getAllByRole('row')).toHaveLength(7);
    expect(within(second).queryByText('Test Paged01')).not.toBeInTheDocument();
  });

  it('searches on the server as you type, by name or MRN, with the MRN and birth date beside the name', async () => {
    renderPeople(pagedMain.api, '/patients');
    await screen.findByTestId('row-count');
    await userEvent.type(screen.getByRole('textbox', { name: /Search patients/ }), 'MRN-7788');
    await waitFor(() => expect(screen.getByTestId('row-count')).toHaveTextContent('1–1 of 1'), { timeout: 5_000 });
    const row = within(screen.getByTestId('patients-table')).getAllByRole('row')[1]!;
    expect(row).toHaveTextContent('Maria Quintero');
    expect(row).toHaveTextContent('MRN-7788');
    expect(row).toHaveTextContent('1975-06-01');
    expect(row).toHaveTextContent('No clinic');
    // Said plainly what the search matched, and in any case.
    expect(screen.getByTestId('search-matched')).toHaveTextContent('with the whole MRN “MRN-7788”');
    expect(within(row).getByRole('link', { name: 'Maria Quintero' })).toHaveAttribute('href', expect.stringMatching(/^\/patients\/[\w.-]+$/));

    await userEvent.clear(screen.getByRole('textbox', { name: /Search patients/ }));
    await userEvent.type(screen.getByRole('textbox', { name: /Search patients/ }), 'Nobody-by-this-name');
    expect(await screen.findByTestId('empty-state')).toHaveTextContent('No patient with a name starting with “Nobody-by-this-name”');

    await userEvent.clear(screen.getByRole('textbox', { name: /Search patients/ }));
    await userEvent.type(screen.getByRole('textbox', { name: /Search patients/ }), 'mrn-7788');
    await waitFor(() => expect(screen.getByTestId('row-count')).toHaveTextContent('1–1 of 1'), { timeout: 5_000 });
    await userEvent.clear(screen.getByRole('textbox', { name: /Search patients/ }));
    await userEvent.type(screen.getByRole('textbox', { name: /Search patients/ }), '7788');
    expect(await screen.findByTestId('empty-state')).toHaveTextContent('an MRN matches only whole');
  });
});
