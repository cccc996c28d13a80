import { afterAll, describe, expect, it } from 'vitest';
import { closeBrowser, startE2eHarness } from '../support/e2e-harness';
import { goTo, openSandbox } from '../support/e2e-flows';

afterAll(closeBrowser);

describe('clinics in the local sandbox', () => {
  it('lists the demo clinics with their counts and opens one', async () => {
    const harness = await startE2eHarness();
    const { page } = harness;
    await openSandbox(harness);
    await goTo(harness, 'Clinics');
    const table = page.getByTestId('clinics-table');
    await table.waitFor();
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(3);
    await harness.screenshot('clinics-light');
    await rows.first().getByRole('link').click();
    await page.getByTestId('clinic-patients').waitFor();
    await expect(page.getByTestId('row-count').textContent()).resolves.toMatch(/^1–50 of \d+/);
    await harness.screenshot('clinic-patients-light');
    await page.getByRole('tab', { name: 'Clinicians' }).click();
    await page.getByTestId('clinic-clinicians').waitFor();
    await harness.screenshot('clinic-clinicians-light');
    // An identifier for the clinic, as roster files may name it.
    await page.getByRole('button', { name: 'Add identifier' }).click();
    await page.getByRole('textbox', { name: /^System/ }).fill('https://lakeshore.example/clinic-code');
    await page.getByRole('textbox', { name: /^Value/ }).fill('LAKE-01');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByTestId('clinic-identifiers').getByText('LAKE-01').waitFor();

    // Enroll two patients of the MSO in this clinic through the dialog.
    await page.getByRole('tab', { name: /Patients/ }).click();
    await page.getByRole('button', { name: 'Enroll patients' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('checkbox').first().waitFor();
    await dialog.getByRole('checkbox').nth(0).check();
    await dialog.getByRole('checkbox').nth(1).check();
    await expect(dialog.getByTestId('enroll-preview').textContent()).resolves.toMatch(/^2 patients will be visible to the clinicians of /);
    await harness.screenshot('enroll-patients-dialog-light');
    await dialog.getByRole('button', { name: 'Enroll 2 patients' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('tab', { name: /Patients \(112\)/ }).waitFor();

    await goTo(harness, 'Activity');
    const activity = page.getByTestId('activity-table');
    await activity.waitFor();
    expect(await activity.locator('tbody tr').count()).toBe(3);
    await activity.getByText('Added a clinic identifier').waitFor();
    await activity.getByText('Enrolled a patient').first().waitFor();
    await page.waitForLoadState('networkidle');
    await harness.screenshot('activity-light');

    await goTo(harness, 'Access audit');
    // The policy is the audit's third tab (Findings and View as clinician come first).
    await page.getByRole('tab', { name: 'Access policy' }).click();
    await page.getByText('Installed and as expected').waitFor();
    await harness.screenshot('access-audit-light');
    await harness.close();
  });
});
