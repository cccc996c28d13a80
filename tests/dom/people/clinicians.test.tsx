/** Clinicians list, invite dialog, a clinician's page and the directory, over real handlers and a real server. */
import type { MedplumClient, WithId } from '@medplum/core';
import type { Organization, Practitioner, ProjectMembership } from '@medplum/fhirtypes';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LocalServer,
  createClinic,
  createClinician,
  createPatientInClinics,
  signInAsAdmin,
  startTestServer,
} from '../../support/local-server';
import { type SignedInMain, clinicIdsOf, membershipsOf, renderPeople, signInMainAsAdmin } from './harness';

let server: LocalServer;
let admin: MedplumClient;
let signedIn: SignedInMain;
let uptown: WithId<Organization>;
let riverside: WithId<Organization>;

const practitionerIdOf = (reference: { reference?: string }) => (reference.reference ?? '').replace('Practitioner/', '');

beforeAll(async () => {
  server = await startTestServer();
  admin = await signInAsAdmin(server);
  [uptown, riverside] = [await createClinic(admin, 'Uptown Clinic'), await createClinic(admin, 'Riverside')];
  // Uptown has 3 patients, Riverside 1: the sentences carry these counts.
  await Promise.all([1, 2, 3].map((n) => createPatientInClinics(admin, [uptown], `Uptown${n}`)));
  await createPatientInClinics(admin, [riverside], 'River1');
  signedIn = await signInMainAsAdmin(server);
});
afterAll(async () => {
  await server.stop();
});

describe('directory before any clinician', () => {
  it('says what to do next', async () => {
    renderPeople(signedIn.api, '/directory');
    expect(await screen.findByTestId('empty-state')).toHaveTextContent('No clinicians yet. Invite clinicians or import a roster.');
  });
});

describe('invite a clinician', () => {
  it('validates the NPI as you type, says what the invitation will do, and the server holds the sign-in for that clinic', async () => {
    renderPeople(signedIn.api, '/clinicians');
    await userEvent.click((await screen.findAllByRole('button', { name: 'Invite clinician' }))[0]!);
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Given name/ }), 'Jane');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Family name/ }), 'Smith');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Email/ }), 'jane.smith@example.test');

    const npi = within(dialog).getByRole('textbox', { name: /NPI/ });
    await userEvent.type(npi, '1234567890');
    expect(await within(dialog).findByText('Must be 10 digits with a valid check digit')).toBeInTheDocument();
    await userEvent.clear(npi);
    await userEvent.type(npi, '1234567893');
    expect(within(dialog).queryByText('Must be 10 digits with a valid check digit')).not.toBeInTheDocument();

    await userEvent.click(within(dialog).getByRole('textbox', { name: 'Clinics' }));
    await userEvent.click(await screen.findByRole('option', { name: 'Uptown Clinic' }));
    const consequence = within(dialog).getByTestId('invite-consequence');
    expect(consequence).toHaveTextContent('Jane Smith will get a sign-in that sees the patients of Uptown Clinic (3 patients).');
    expect(consequence).toHaveTextContent('No email is sent');
    expect(within(dialog).getByRole('checkbox', { name: 'Send invitation email' })).not.toBeChecked();

    await userEvent.click(within(dialog).getByRole('button', { name: 'Invite clinician' }));
    expect(await screen.findByRole('heading', { name: 'Jane Smith', level: 2 }, { timeout: 5000 })).toBeInTheDocument();
    expect(screen.getByTestId('person-facts')).toHaveTextContent('1234567893');
    expect(screen.getByTestId('sign-in-status')).toHaveTextContent('1 membership');

    const [practitioner] = await admin.searchResources('Practitioner', { email: 'jane.smith@example.test' }, { cache: 'no-cache' });
    expect(practitioner).toBeDefined();
    expect(clinicIdsOf(await membershipsOf(admin, practitioner!.id))).toEqual([uptown.id]);
  });
});

describe('clinician page', () => {
  it('says whose records the clinician will see before enrolling, and the server grants that clinic', async () => {
    const clinician = await createClinician(server, admin, [uptown]);
    const id = practitionerIdOf(clinician.practitioner);
    renderPeople(signedIn.api, `/clinicians/${id}`);
    const name = (await screen.findByRole('heading', { level: 2 })).textContent ?? '';
    expect(screen.getByTestId('sign-in-status')).toHaveTextContent('Has a sign-in');

    await userEvent.click(screen.getByRole('textbox', { name: 'Add to clinics' }));
    await userEvent.click(await screen.findByRole('option', { name: 'Riverside' }));
    expect(screen.getByTestId('add-consequence')).toHaveTextContent(`${name} will be able to see the 1 patient of Riverside.`);
    await userEvent.click(screen.getByRole('button', { name: 'Add to clinics' }));
    await waitFor(() => expect(screen.getByTestId('current-clinics')).toHaveTextContent('Riverside'));
    expect(new Set(clinicIdsOf(await membershipsOf(admin, id)))).toEqual(new Set([uptown.id, riverside.id]));
  });

  it('asks before unenrolling, says when it is the last clinic, and the server drops the clinic', async () => {
    const clinician = await createClinician(server, admin, [uptown]);
    const id = practitionerIdOf(clinician.practitioner);
    renderPeople(signedIn.api, `/clinicians/${id}`);
    const name = (await screen.findByRole('heading', { level: 2 })).textContent ?? '';

    await userEvent.click(screen.getByRole('button', { name: 'Remove from Uptown Clinic' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(`${name} will no longer see the 3 patients of Uptown Clinic.`);
    expect(dialog).toHaveTextContent('They keep their sign-in but will see no patient.');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove from Uptown Clinic' }));

    expect(await screen.findByTestId('no-clinics')).toHaveTextContent('is in no clinic');
    expect(await screen.findByText(new RegExp(`${name} no longer sees the patients of Uptown Clinic`))).toBeInTheDocument();
    const memberships = await membershipsOf(admin, id);
    expect(memberships.length).toBeGreaterThan(0);
    expect(clinicIdsOf(memberships)).toEqual([]);
  });

  it('does not say "last clinic" when another clinic remains', async () => {
    const clinician = await createClinician(server, admin, [uptown, riverside]);
    renderPeople(signedIn.api, `/clinicians/${practitionerIdOf(clinician.practitioner)}`);
    await screen.findByRole('heading', { level: 2 });
    await userEvent.click(screen.getByRole('button', { name: 'Remove from Riverside' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('will no longer see the 1 patient of Riverside.');
    expect(dialog).not.toHaveTextContent('They keep their sign-in');
  });

  it('warns in red when a sign-in lacks the MSO base policy', async () => {
    const email = `nobase.${Date.now()}@example.test`;
    const membership = (await admin.invite(server.projectId, {
      resourceType: 'Practitioner',
      firstName: 'Nora',
      lastName: 'Nobase',
      email,
      password: 'pw-nobase-1',
      sendEmail: false,
      scope: 'project',
      membership: {
        access: [
          {
            policy: { reference: `AccessPolicy/${server.seed?.msoPolicyId}` },
            parameter: [{ name: 'organization', valueReference: { reference: `Organization/${uptown.id}` } }],
          },
        ],
      },
    })) as ProjectMembership;
    renderPeople(signedIn.api, `/clinicians/${practitionerIdOf(membership.profile ?? {})}`);
    expect(await screen.findByRole('heading', { name: 'Nora Nobase', level: 2 })).toBeInTheDocument();
    expect(screen.getByText("One of this clinician's sign-ins lacks the MSO base policy; the next change restores it.")).toBeInTheDocument();
  });
});

describe('clinicians list and directory', () => {
  it('lists every clinician by name with NPI, email and clinic badges, and searches on the server', async () => {
    const named = await admin.createResource<Practitioner>({
      resourceType: 'Practitioner',
      name: [{ given: ['Omar'], family: 'Okafor' }],
      telecom: [{ system: 'email', value: 'omar@example.test' }],
    });
    await createClinician(server, admin, [riverside]);
    renderPeople(signedIn.api, '/clinicians');
    const table = await screen.findByTestId('clinicians-table');
    const count = Number((screen.getByTestId('clinician-count').textContent ?? '').split(' ')[0]);
    expect(within(table).getAllByRole('row')).toHaveLength(count + 1);
    const jane = within(table).getByRole('link', { name: 'Jane Smith' }).closest('tr')!;
    expect(jane).toHaveTextContent('1234567893');
    expect(jane).toHaveTextContent('jane.smith@example.test');
    expect(jane).toHaveTextContent('Uptown Clinic');
    expect(within(table).getByRole('link', { name: 'Omar Okafor' })).toHaveAttribute('href', `/clinicians/${named.id}`);

    await userEvent.type(screen.getByRole('textbox', { name: /Search clinicians/ }), 'Okafor');
    await waitFor(() => expect(screen.getByTestId('clinician-count')).toHaveTextContent(/^1 clinician$/));
    expect(within(screen.getByTestId('clinicians-table')).getAllByRole('row')).toHaveLength(2);
  });

  it('shows the directory read only, with a count line and links to each clinician', async () => {
    renderPeople(signedIn.api, '/directory');
    const table = await screen.findByTestId('clinicians-table');
    const rows = within(table).getAllByRole('row').length - 1;
    expect(rows).toBeGreaterThan(2);
    expect(screen.getByTestId('clinician-count')).toHaveTextContent(new RegExp(`^${rows} clinicians$`));
    expect(within(table).getByRole('link', { name: 'Jane Smith' })).toHaveAttribute('href', expect.stringMatching(/^\/clinicians\//));
    // Read only: no change controls on the directory.
    expect(screen.queryByRole('button', { name: /Invite|Add to clinics|Remove/ })).not.toBeInTheDocument();

    await userEvent.type(screen.getByRole('textbox', { name: /Search clinicians/ }), 'Smith');
    await waitFor(() => expect(screen.getByTestId('clinician-count')).toHaveTextContent('1 clinician match “Smith”'));
  });
});
