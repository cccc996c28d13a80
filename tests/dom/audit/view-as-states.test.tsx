/**
 * "View as clinician" in the states a healthy sandbox does not produce: the server's answer
 * differs from the computed one (each disagreeing patient marked critical, the exposure first), and
 * the server could not be asked (why, and that the list is the computation only). Main's answers
 * are given here as data, through the same API object the app uses.
 */
import { MantineProvider } from '@mantine/core';
import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../../preload/api/contract';
import type { MsoApi } from '../../../preload/api/create-api';
import type { MembershipView, ViewAsClinicianView } from '../../../preload/api/schemas/audit';
import { ApiProvider } from '../../../renderer/src/api/api-context';
import { ViewAsClinicianPanel } from '../../../renderer/src/audit/ViewAsClinicianPanel';
import { theme } from '../../../renderer/src/theme';

const ada = { reference: 'Patient/ada', label: 'Ada Lovelace' };
const grace = { reference: 'Patient/grace', label: 'Grace Hopper' };
const marie = { reference: 'Patient/marie', label: 'Marie Curie' };

function answering(memberships: MembershipView[]): MsoApi {
  const view: ViewAsClinicianView = { practitioner: { reference: 'Practitioner/jane', label: 'Dr. Jane Smith' }, memberships, listLimit: 500, findings: [] };
  const ok = <T,>(value: T): Promise<Envelope<T>> => Promise.resolve({ ok: true, value });
  return { viewAsClinician: () => ok(view), listDirectory: () => ok([]), on: {} } as unknown as MsoApi;
}

function renderView(api: MsoApi) {
  return render(
    <MantineProvider theme={theme} env="test">
      <ApiProvider api={api}>
        <MemoryRouter initialEntries={['/audit?tab=view-as&clinician=jane']}>
          <ViewAsClinicianPanel />
        </MemoryRouter>
      </ApiProvider>
    </MantineProvider>,
  );
}

describe('view as clinician', () => {
  it('marks every patient where the server and the console disagree, the exposure first', async () => {
    renderView(
      answering([
        {
          membershipId: 'm1',
          label: null,
          computed: { patients: [ada, grace], count: 2 },
          observed: { status: 'verified', patients: [ada, marie], count: 2 },
          difference: { onlyComputed: [grace], onlyObserved: [marie] },
        },
      ]),
    );
    const verification = await screen.findByTestId('verification');
    expect(verification).toHaveAttribute('data-state', 'differs');
    expect(verification).toHaveTextContent("Critical: the server's answer differs");
    const rows = within(screen.getByTestId('view-as-patients')).getAllByRole('row').slice(1);
    expect(rows.map((row) => [row.querySelector('a')?.textContent, row.getAttribute('data-mark')])).toEqual([
      ['Marie Curie', 'unexpected'],
      ['Ada Lovelace', null],
      ['Grace Hopper', 'missing'],
    ]);
    expect(rows[0]).toHaveTextContent("Critical: shown by the server, not in the console's computation");
  });

  it('says why the server could not be asked and that the list is computed only', async () => {
    renderView(
      answering([
        {
          membershipId: 'm1',
          label: 'Uptown Clinic',
          computed: { patients: [ada], count: 1 },
          observed: { status: 'unverified', reason: 'The server refused to answer on behalf of this membership: it is inactive.' },
          difference: null,
        },
      ]),
    );
    const verification = await screen.findByTestId('verification');
    expect(verification).toHaveAttribute('data-state', 'unverified');
    expect(verification).toHaveTextContent('The server refused to answer on behalf of this membership: it is inactive.');
    expect(verification).toHaveTextContent("The list below is the console's own computation only.");
    expect(screen.getByText('Membership “Uptown Clinic”')).toBeInTheDocument();
    expect(within(screen.getByTestId('view-as-patients')).getAllByRole('row').slice(1)[0]).toHaveTextContent('Computed');
  });
});
