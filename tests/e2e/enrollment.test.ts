/**
 * The whole journey through the real UI over the real main-process handlers: create a
 * clinic, invite a clinician, enroll them and a patient; then the clinician, signed in to the
 * server on their own, sees that patient and no other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2eHarness, closeBrowser, startE2eHarness } from '../support/e2e-harness';
import { goTo, signInThroughUi } from '../support/e2e-flows';
import { type LocalServer, createPatientInClinics, signIn, signInAsAdmin, startTestServer } from '../support/local-server';

let server: LocalServer;
let harness: E2eHarness;

beforeAll(async () => {
  server = await startTestServer({ projectName: 'Riverbend MSO' });
  harness = await startE2eHarness();
});
afterAll(async () => {
  await harness?.close();
  await server.stop();
  await closeBrowser();
});

describe('enrollment through the UI', () => {
  it('creates a clinic, invites and enrolls a clinician and a patient; the clinician then sees exactly that patient', async () => {
    const { page } = harness;
    // Someone else's patient in another clinic: the clinician must never see them.
    const admin = await signInAsAdmin(server);
    const harbor = await admin.createResource({ resourceType: 'Organization', name: 'Harbor Clinic', active: true });
    const stranger = await createPatientInClinics(admin, [harbor], 'Stranger');

    await signInThroughUi(harness, {
      name: 'Riverbend',
      baseUrl: server.baseUrl,
      mrnSystem: 'https://riverbend.example/mrn',
      email: server.admin.email,
      password: server.admin.password,
    });

    // 1. A clinic.
    await goTo(harness, 'Clinics');
    await page.getByRole('button', { name: 'New clinic' }).click();
    await page.getByRole('textbox', { name: /^Name/ }).fill('Uptown Family Clinic');
    await harness.screenshot('new-clinic-dialog-light');
    await page.getByRole('button', { name: 'Create clinic' }).click();
    await page.getByRole('heading', { name: 'Uptown Family Clinic', level: 2 }).waitFor();
    const clinicUrl = page.url();

    // 2. A clinician, invited without a clinic first.
    await goTo(harness, 'Clinicians');
    await page.getByRole('button', { name: 'Invite clinician' }).first().click();
    const invite = page.getByRole('dialog');
    await invite.getByRole('textbox', { name: /^Given name/ }).fill('Jane');
    await invite.getByRole('textbox', { name: /^Family name/ }).fill('Smith');
    await invite.getByRole('textbox', { name: /^Email/ }).fill('jane.smith@uptown.example');
    await invite.getByRole('textbox', { name: /^NPI/ }).fill('1234567893');
    await harness.screenshot('invite-clinician-dialog-light');
    await invite.getByRole('button', { name: 'Invite clinician' }).click();
    await invite.waitFor({ state: 'detached' });

    // 3. A patient, created without a clinic first.
    await goTo(harness, 'Patients');
    await page.getByRole('button', { name: 'New patient' }).first().click();
    const create = page.getByRole('dialog');
    await create.getByRole('textbox', { name: /^Given name/ }).fill('Ada');
    await create.getByRole('textbox', { name: /^Family name/ }).fill('Lovelace');
    await create.getByRole('textbox', { name: /^Birth date/ }).fill('1990-12-10');
    await create.getByRole('textbox', { name: /^MRN/ }).fill('UP-0001');
    await harness.screenshot('new-patient-dialog-light');
    await create.getByRole('button', { name: 'Create patient' }).click();
    await create.waitFor({ state: 'detached' });

    // 4. Enroll both in the clinic from the clinic's page.
    await page.goto(clinicUrl);
    await page.getByRole('tab', { name: 'Clinicians' }).click();
    await page.getByRole('button', { name: 'Enroll clinicians' }).click();
    const enrollClinician = page.getByRole('dialog');
    await enrollClinician.getByRole('checkbox', { name: 'Choose Jane Smith' }).check();
    await expect(enrollClinician.getByTestId('enroll-preview').textContent()).resolves.toBe(
      'Jane Smith will be able to see the patients of Uptown Family Clinic (none yet).',
    );
    await enrollClinician.getByRole('button', { name: 'Enroll 1 clinician' }).click();
    await enrollClinician.waitFor({ state: 'detached' });
    await page.getByTestId('clinic-clinicians').getByText('Jane Smith').waitFor();

    await page.getByRole('tab', { name: /Patients/ }).click();
    await page.getByRole('button', { name: 'Enroll patients' }).click();
    const enrollPatient = page.getByRole('dialog');
    await enrollPatient.getByRole('textbox', { name: 'Search patients to enroll' }).fill('Lovelace');
    await enrollPatient.getByRole('checkbox', { name: 'Choose Ada Lovelace' }).check();
    await enrollPatient.getByRole('button', { name: 'Enroll 1 patient' }).click();
    await enrollPatient.waitFor({ state: 'detached' });
    await page.getByTestId('clinic-patients').getByText('Ada Lovelace').waitFor();
    await harness.screenshot('clinic-after-enrollment-light');

    // 5. Jane sets her password (the invitation email's job), signs in, and sees Ada only.
    expect(await server.setUserPassword('jane.smith@uptown.example', 'janes-own-password')).toBe(true);
    const jane = await signIn(server, 'jane.smith@uptown.example', 'janes-own-password', server.projectId);
    const seen = await jane.searchResources('Patient', {}, { cache: 'no-cache' });
    expect(seen.map((patient) => patient.name?.[0]?.family)).toEqual(['Lovelace']);
    await expect(jane.readResource('Patient', stranger.id)).rejects.toThrow(/not found/i);

    // The Activity log tells the story.
    await goTo(harness, 'Activity');
    await page.getByTestId('activity-table').waitFor();
    const actions = await page.getByTestId('activity-table').locator('tbody tr td:nth-child(2)').allTextContents();
    expect(actions).toEqual(['Enrolled a patient', 'Enrolled a clinician', 'Created a patient', 'Invited a clinician', 'Created a clinic']);
  });
});
