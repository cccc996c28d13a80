/** The Clinics list and its New clinic dialog, over real handlers and a real local server. */
import type { MedplumClient } from '@medplum/core';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Root } from '../../renderer/src/Root';
import { type LocalServer, signInAsAdmin, startTestServer } from '../support/local-server';
import { type SignedInMain, signInMainAsAdmin } from './people/harness';

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

describe('clinic names', () => {
  it('shows clinics that already share a name with their ids, and refuses a new one under Name', async () => {
    // Made straight on the server, as an older console or another tool could have.
    const a = await admin.createResource({ resourceType: 'Organization', name: 'Northgate Pediatrics', active: true });
    const b = await admin.createResource({
      resourceType: 'Organization',
      name: 'northgate pediatrics ',
      active: true,
      identifier: [{ system: 'https://mso.example/clinic', value: 'NG-2' }],
    });
    render(<Root api={signedIn.api} />);
    const table = await screen.findByTestId('clinics-table');
    expect(screen.getByTestId('duplicate-names-notice')).toHaveTextContent('2 clinics share their name with another');
    const marks = within(table).getAllByTestId('duplicate-name');
    expect(marks.map((mark) => mark.textContent)).toEqual(expect.arrayContaining([`Same name as another clinicid ${a.id}`, `Same name as another clinicid ${b.id}`]));

    await userEvent.click(screen.getByRole('button', { name: 'New clinic' }));
    const dialog = await screen.findByRole('dialog');
    const name = within(dialog).getByRole('textbox', { name: /Name/ });
    await userEvent.type(name, 'NORTHGATE Pediatrics  ');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create clinic' }));
    await waitFor(() => expect(name).toHaveAccessibleDescription(/Another clinic is already called/));
    const all = await admin.searchResources('Organization', { _count: '100' }, { cache: 'no-cache' });
    expect(all.filter((clinic) => clinic.name?.trim().toLowerCase() === 'northgate pediatrics')).toHaveLength(2);
  });
});
