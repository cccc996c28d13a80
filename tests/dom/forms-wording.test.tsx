/** Form messages in the administrator's words, and birth dates written as roster files write them. */
import type { MedplumClient } from '@medplum/core';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Root } from '../../renderer/src/Root';
import { type LocalServer, signInAsAdmin, startTestServer } from '../support/local-server';
import { type SignedInMain, renderPeople, signInMainAsAdmin } from './people/harness';

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

describe('form messages', () => {
  it('says "At most 200 characters" and asks for a web address, not zod’s words', async () => {
    window.location.hash = '#/clinics';
    render(<Root api={signedIn.api} />);
    await userEvent.click(await screen.findByRole('button', { name: 'New clinic' }, { timeout: 5000 }));
    const dialog = await screen.findByRole('dialog');
    const name = within(dialog).getByRole('textbox', { name: /Name/ });
    await userEvent.click(name);
    await userEvent.paste('x'.repeat(201));
    await waitFor(() => expect(name).toHaveAccessibleDescription('At most 200 characters'));
    await userEvent.type(within(dialog).getByRole('textbox', { name: /System/ }), 'npi');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Value/ }), '1');
    expect(await within(dialog).findByText(/Must be a web address such as https:/)).toBeInTheDocument();
    expect(within(dialog).queryByText(/Too big|absolute URI/)).not.toBeInTheDocument();
  });

  it('takes a birth date as M/D/YYYY and stores it as YYYY-MM-DD', async () => {
    renderPeople(signedIn.api, '/patients');
    await userEvent.click((await screen.findAllByRole('button', { name: 'New patient' }, { timeout: 5000 }))[0]!);
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Given name/ }), 'Uma');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Family name/ }), 'Slash');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Birth date/ }), '4/23/1980');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /MRN/ }), 'US-DATE-1');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create patient' }));
    await screen.findByRole('heading', { name: 'Uma Slash', level: 2 }, { timeout: 5000 });
    const [stored] = await admin.searchResources('Patient', { identifier: 'https://mso.example/mrn|US-DATE-1' }, { cache: 'no-cache' });
    expect(stored?.birthDate).toBe('1980-04-23');
  });
});
