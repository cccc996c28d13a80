/**
 * Long rosters: the enroll dialog searches the whole project on the server, says how many match,
 * shows more on demand, tells namesakes apart by birth date and can take "all N matching"; many
 * patients leave a clinic in one job, with one confirmation that counts them.
 */
import type { MedplumClient, WithId } from '@medplum/core';
import type { Organization, Patient } from '@medplum/fhirtypes';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Root } from '../../renderer/src/Root';
import { type LocalServer, createClinic, createClinician, createPatientInClinics, signInAsAdmin, startTestServer } from '../support/local-server';
import { type SignedInMain, signInMainAsAdmin } from './people/harness';

let server: LocalServer;
let admin: MedplumClient;
let signedIn: SignedInMain;
let north: WithId<Organization>;
let south: WithId<Organization>;

const inClinic = async (clinic: WithId<Organization>): Promise<number> =>
  (await admin.search('Patient', { _compartment: `Organization/${clinic.id}`, _summary: 'count' }, { cache: 'no-cache' })).total ?? 0;

beforeAll(async () => {
  server = await startTestServer();
  admin = await signInAsAdmin(server);
  [north, south] = [await createClinic(admin, 'North'), await createClinic(admin, 'South')];
  // 70 namesakes in South, told apart only by birth date.
  await Promise.all(
    Array.from({ length: 70 }, (_, index) => {
      const accounts = [{ reference: `Organization/${south.id}` }];
      return admin.createResource<Patient>({
        resourceType: 'Patient',
        meta: { accounts, account: accounts[0] },
        name: [{ given: ['Arjun'], family: 'Abbott' }],
        birthDate: `19${String(10 + index).padStart(2, '0')}-01-0${(index % 9) + 1}`,
      });
    }),
  );
  // Someone else, so that the project's count and the search's count differ.
  await createPatientInClinics(admin, [], 'Other');
  signedIn = await signInMainAsAdmin(server);
});
afterAll(async () => {
  await server.stop();
});

describe('enrolling from a long project roster', () => {
  it('counts the matches, shows more on demand, shows birth dates, and enrolls all that match', async () => {
    window.location.hash = `#/clinics/${north.id}`;
    render(<Root api={signedIn.api} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Enroll patients' }, { timeout: 5000 }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Search patients to enroll' }), 'Abbott');
    await waitFor(() => expect(within(dialog).getByTestId('chooser-footer')).toHaveTextContent('Showing 50 of 70 matching'), { timeout: 10_000 });
    expect(within(dialog).getByText('1910-01-01')).toBeInTheDocument();
    await userEvent.click(within(within(dialog).getByTestId('chooser-footer')).getByRole('button', { name: 'Show more' }));
    await waitFor(() => expect(within(dialog).getByTestId('chooser-footer')).toHaveTextContent('Showing 70 of 70 matching'), { timeout: 30_000 });

    await userEvent.click(within(within(dialog).getByTestId('chooser-footer')).getByRole('checkbox', { name: 'Select all 70 matching' }));
    expect(within(dialog).getByTestId('enroll-preview')).toHaveTextContent('All 70 patients matching “Abbott” will be enrolled in North');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Enroll all 70 patients' }));
    await waitFor(async () => expect(await inClinic(north)).toBe(70), { timeout: 30_000 });
  }, 90_000);
});

describe('removing many patients from a clinic', () => {
  it('selects rows across the page, confirms with the count, and removes them as one job', async () => {
    window.location.hash = `#/clinics/${south.id}`;
    render(<Root api={signedIn.api} />);
    const table = await screen.findByTestId('clinic-patients', {}, { timeout: 5000 });
    const boxes = within(table).getAllByRole('checkbox', { name: 'Select Arjun Abbott' });
    await userEvent.click(boxes[0]!);
    await userEvent.click(boxes[1]!);
    await userEvent.click(boxes[2]!);
    const bar = screen.getByTestId('selection-bar');
    expect(bar).toHaveTextContent('3 selected');
    await userEvent.click(within(bar).getByRole('button', { name: 'Remove 3 from South' }));
    const confirm = await screen.findByRole('dialog', { name: 'Remove 3 patients from South?' });
    expect(confirm).toHaveTextContent('Clinicians of South will no longer see the records of 3 patients');
    await userEvent.click(within(confirm).getByRole('button', { name: 'Remove 3 from South' }));
    await waitFor(async () => expect(await inClinic(south)).toBe(67), { timeout: 30_000 });
    // The sentence closes the job's panel and its notification alike.
    expect(await screen.findAllByText(/3 patients removed from South\./, {}, { timeout: 10_000 })).not.toHaveLength(0);
  }, 90_000);
});

describe('removing many clinicians from a clinic', () => {
  it('selects clinicians, confirms with the count, and removes them as one job', async () => {
    const west = await createClinic(admin, 'West');
    await Promise.all([1, 2, 3].map(() => createClinician(server, admin, [west])));
    window.location.hash = `#/clinics/${west.id}?tab=clinicians`;
    render(<Root api={signedIn.api} />);
    const table = await screen.findByTestId('clinic-clinicians', {}, { timeout: 5000 });
    await userEvent.click(within(table).getByRole('checkbox', { name: 'Select every clinician listed' }));
    const bar = screen.getByTestId('selection-bar');
    expect(bar).toHaveTextContent('3 selected');
    await userEvent.click(within(bar).getByRole('button', { name: 'Remove 3 from West' }));
    const confirm = await screen.findByRole('dialog', { name: 'Remove 3 clinicians from West?' });
    expect(confirm).toHaveTextContent('3 clinicians will no longer see the patients of West (none yet)');
    await userEvent.click(within(confirm).getByRole('button', { name: 'Remove 3 from West' }));
    expect(await screen.findByText('3 clinicians removed from West.', {}, { timeout: 15_000 })).toBeInTheDocument();
    const memberships = await admin.searchResources('ProjectMembership', { _count: '100' }, { cache: 'no-cache' });
    const inWest = memberships.filter((m) => (m.access ?? []).some((a) => a.parameter?.some((p) => p.valueReference?.reference === `Organization/${west.id}`)));
    expect(inWest).toHaveLength(0);
  }, 60_000);
});
