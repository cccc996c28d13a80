/**
 * A list's place lives in the route: search, sort and page survive opening a record and coming
 * Back, and a reload of the same address; a person opened from a clinic leads back to that clinic.
 */
import type { MedplumClient } from '@medplum/core';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Root } from '../../renderer/src/Root';
import { type LocalServer, createClinic, createPatientInClinics, signInAsAdmin, startTestServer } from '../support/local-server';
import { type SignedInMain, signInMainAsAdmin } from './people/harness';

let server: LocalServer;
let admin: MedplumClient;
let signedIn: SignedInMain;
let clinicId = '';

beforeAll(async () => {
  server = await startTestServer();
  admin = await signInAsAdmin(server);
  const clinic = await createClinic(admin, 'Harbour Clinic');
  clinicId = clinic.id;
  await Promise.all(Array.from({ length: 60 }, (_, index) => createPatientInClinics(admin, [clinic], `Route${String(index).padStart(2, '0')}`)));
  signedIn = await signInMainAsAdmin(server);
});
afterAll(async () => {
  await server.stop();
});

describe('the place in a list', () => {
  it('keeps search, sort and page in the address; Back and a reload return to the same rows', async () => {
    window.location.hash = '#/patients';
    const { unmount } = render(<Root api={signedIn.api} />);
    await screen.findByTestId('patients-table', {}, { timeout: 5000 });
    await userEvent.type(screen.getByRole('textbox', { name: 'Search patients by name or MRN' }), 'Route');
    await waitFor(() => expect(window.location.hash).toContain('q=Route'), { timeout: 5000 });
    await userEvent.click(screen.getByRole('button', { name: '2' }));
    await waitFor(() => expect(screen.getByTestId('row-count')).toHaveTextContent('51–60 of 60'), { timeout: 5000 });
    expect(window.location.hash).toMatch(/page=2/);

    // A reload: the same address shows the same rows.
    const address = window.location.hash;
    unmount();
    window.location.hash = address;
    render(<Root api={signedIn.api} />);
    await waitFor(() => expect(screen.getByTestId('row-count')).toHaveTextContent('51–60 of 60'), { timeout: 5000 });
    expect(screen.getByRole('textbox', { name: 'Search patients by name or MRN' })).toHaveValue('Route');
  });

  it('a patient opened from a clinic names that clinic in the breadcrumb, which leads back to its list', async () => {
    window.location.hash = `#/clinics/${clinicId}?page=2`;
    render(<Root api={signedIn.api} />);
    const table = await screen.findByTestId('clinic-patients', {}, { timeout: 5000 });
    await userEvent.click(within(table).getAllByRole('link')[0]!);
    const crumbs = await screen.findByRole('link', { name: 'Harbour Clinic' }, { timeout: 5000 });
    await userEvent.click(crumbs);
    await waitFor(() => expect(screen.getByTestId('row-count')).toHaveTextContent('51–60 of 60'), { timeout: 5000 });
  });
});
