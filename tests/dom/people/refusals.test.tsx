/**
 * A refusal from the server shows under the field it concerns (decided in main from the server's
 * words), goes away when that field changes, and leaves nothing behind on the server. A patient
 * left at "Not recorded" is stored with no gender. A clinician invited without the email is shown
 * as unable to sign in, with the way on.
 */
import type { MedplumClient } from '@medplum/core';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, signInAsAdmin, startTestServer } from '../../support/local-server';
import { type SignedInMain, readPatient, renderPeople, signInMainAsAdmin } from './harness';

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

async function openInvite(): Promise<HTMLElement> {
  renderPeople(signedIn.api, '/clinicians');
  await userEvent.click((await screen.findAllByRole('button', { name: 'Invite clinician' }))[0]!);
  return screen.findByRole('dialog');
}

async function fillInvite(dialog: HTMLElement, family: string, email: string, npi?: string): Promise<void> {
  await userEvent.type(within(dialog).getByRole('textbox', { name: /Given name/ }), 'Kim');
  await userEvent.type(within(dialog).getByRole('textbox', { name: /Family name/ }), family);
  await userEvent.type(within(dialog).getByRole('textbox', { name: /Email/ }), email);
  if (npi) await userEvent.type(within(dialog).getByRole('textbox', { name: /NPI/ }), npi);
}

describe('inviting someone who is already a member', () => {
  it('says so under Email, clears it when the email changes, and leaves no second Practitioner', async () => {
    const first = await openInvite();
    await fillInvite(first, 'Member', 'kim.member@example.test');
    await userEvent.click(within(first).getByRole('button', { name: 'Invite clinician' }));
    await screen.findByRole('heading', { name: 'Kim Member', level: 2 }, { timeout: 5000 });
    // Invited without the email: the page does not claim they can sign in.
    expect(screen.getByTestId('sign-in-status')).toHaveTextContent('Invited; no invitation sent yet');
    expect(screen.getByTestId('invitation-not-sent')).toHaveTextContent('cannot sign in');
    expect(screen.queryByText('Can sign in')).not.toBeInTheDocument();
    // The local sandbox sends no email, and says so instead of pretending.
    await userEvent.click(screen.getByRole('button', { name: 'Send invitation email' }));
    expect(await within(screen.getByTestId('invitation-not-sent')).findByText(/cannot send email/)).toBeInTheDocument();

    const again = await openInvite();
    await fillInvite(again, 'Again', 'kim.member@example.test');
    await userEvent.click(within(again).getByRole('button', { name: 'Invite clinician' }));
    const email = within(again).getByRole('textbox', { name: /Email/ });
    await waitFor(() => expect(email).toHaveAccessibleDescription(/already a member of this project/));
    expect(within(again).queryByText(/Try again/)).not.toBeInTheDocument();
    expect(await admin.searchResources('Practitioner', { family: 'Again' }, { cache: 'no-cache' })).toHaveLength(0);

    await userEvent.type(email, 'x');
    await waitFor(() => expect(email).not.toHaveAccessibleDescription(/already a member/));
  });

  it('puts an NPI another clinician holds under NPI, not under Email', async () => {
    const first = await openInvite();
    await fillInvite(first, 'Holder', 'kim.holder@example.test', '1234567893');
    await userEvent.click(within(first).getByRole('button', { name: 'Invite clinician' }));
    await screen.findByRole('heading', { name: 'Kim Holder', level: 2 }, { timeout: 5000 });

    const second = await openInvite();
    await fillInvite(second, 'Other', 'kim.other@example.test', '1234567893');
    await userEvent.click(within(second).getByRole('button', { name: 'Invite clinician' }));
    const npi = within(second).getByRole('textbox', { name: /NPI/ });
    await waitFor(() => expect(npi).toHaveAccessibleDescription(/already has this NPI/));
    expect(within(second).getByRole('textbox', { name: /Email/ })).not.toHaveAccessibleDescription(/NPI/);
  });
});

describe('new patient', () => {
  async function openNewPatient(family: string, mrn: string): Promise<HTMLElement> {
    renderPeople(signedIn.api, '/patients');
    await userEvent.click((await screen.findAllByRole('button', { name: 'New patient' }))[0]!);
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Given name/ }), 'Lee');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Family name/ }), family);
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Birth date/ }), '1970-05-06');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /MRN/ }), mrn);
    return dialog;
  }

  it('left at "Not recorded" is stored with no gender', async () => {
    const dialog = await openNewPatient('Unset', 'UNSET-1');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create patient' }));
    await screen.findByRole('heading', { name: 'Lee Unset', level: 2 }, { timeout: 5000 });
    const [found] = await admin.searchResources('Patient', { identifier: 'https://mso.example/mrn|UNSET-1' }, { cache: 'no-cache' });
    expect((await readPatient(admin, found!.id)).gender).toBeUndefined();
    expect(screen.getByTestId('person-facts')).toHaveTextContent('SexNot recorded');
  });

  it('shows a taken MRN under MRN, and the message goes once the MRN changes', async () => {
    const dialog = await openNewPatient('Taken', 'UNSET-1');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create patient' }));
    const mrn = within(dialog).getByRole('textbox', { name: /MRN/ });
    await waitFor(() => expect(mrn).toHaveAccessibleDescription(/A patient with this MRN already exists/));
    expect(within(dialog).getByRole('textbox', { name: /Birth date/ })).not.toHaveAccessibleDescription(/MRN/);
    await userEvent.type(mrn, '2');
    await waitFor(() => expect(mrn).not.toHaveAccessibleDescription(/already exists/));
  });
});
