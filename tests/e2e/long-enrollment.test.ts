/**
 * A long enrollment runs as a job in main: the dialog shows a progress bar with counts, rate and
 * time left, and Cancel stops it between people, saying how many were enrolled.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createSandboxLauncher } from '../../main/session/sandbox-launcher';
import { closeBrowser, startE2eHarness } from '../support/e2e-harness';
import { goTo, openSandbox } from '../support/e2e-flows';

afterAll(closeBrowser);

describe('a long enrollment', () => {
  it('shows its progress and stops when cancelled', async () => {
    // A slow server (150 ms a request) so that the job is still running when Cancel is clicked.
    const sandbox = createSandboxLauncher({ server: { faults: { seed: 7, latencyMs: 150 } } });
    const harness = await startE2eHarness({ sandbox });
    const { page } = harness;
    await openSandbox(harness);
    await goTo(harness, 'Clinics');
    await page.getByTestId('clinics-table').getByRole('link', { name: 'Northgate Pediatrics' }).click();
    await page.getByRole('button', { name: 'Enroll patients' }).click();
    const dialog = page.getByRole('dialog');
    const boxes = dialog.getByRole('checkbox');
    await boxes.first().waitFor();
    for (let index = 0; index < 12; index++) await boxes.nth(index).check();
    await dialog.getByRole('button', { name: 'Enroll 12 patients' }).click();

    const panel = dialog.getByTestId('job-progress');
    await panel.waitFor();
    await dialog.getByText(/^\d+ of 12/).first().waitFor();
    await harness.screenshot('enroll-job-running-light');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.locator('[data-state="cancelled"]').waitFor({ timeout: 30_000 });
    const message = (await dialog.getByTestId('job-message').textContent()) ?? '';
    expect(message).toMatch(/^\d+ patients? enrolled in Northgate Pediatrics; stopped on request before the other \d+\.$/);
    const enrolled = Number(/^(\d+)/.exec(message)?.[1]);
    expect(enrolled).toBeLessThan(12);
    await harness.screenshot('enroll-job-cancelled-light');
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    // The clinic's count went up by exactly what the job reported.
    await page.getByRole('tab', { name: `Patients (${110 + enrolled})` }).waitFor();
    await harness.close();
  });

  it('keeps running when its dialog is closed, shows in the header, and can be cancelled from there', async () => {
    const sandbox = createSandboxLauncher({ server: { faults: { seed: 11, latencyMs: 150 } } });
    const harness = await startE2eHarness({ sandbox });
    const { page } = harness;
    await openSandbox(harness);
    await goTo(harness, 'Clinics');
    await page.getByTestId('clinics-table').getByRole('link', { name: 'Riverside Family Health' }).click();
    await page.getByRole('button', { name: 'Enroll patients' }).click();
    const dialog = page.getByRole('dialog');
    const boxes = dialog.getByRole('checkbox');
    await boxes.first().waitFor();
    for (let index = 0; index < 10; index++) await boxes.nth(index).check();
    await dialog.getByRole('button', { name: 'Enroll 10 patients' }).click();
    await dialog.getByTestId('job-progress').waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    const indicator = page.getByTestId('jobs-indicator');
    await expect(indicator.textContent()).resolves.toBe('1 job running');
    await indicator.click();
    await page.getByText('Patient enrollment', { exact: true }).waitFor();
    await harness.screenshot('jobs-indicator-light');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).or(page.getByRole('button', { name: 'Cancel' })).first().click();
    const notice = page.locator('.mantine-Notification-root').filter({ hasText: 'stopped on request' });
    await notice.waitFor({ timeout: 30_000 });
    const text = (await notice.textContent()) ?? '';
    expect(text).toMatch(/^Patient enrollment stopped\d+ patients? enrolled in Riverside Family Health; stopped on request/);
    await indicator.waitFor({ state: 'detached' });
    // The clinic's list caught up with the job although its dialog was closed.
    const enrolled = Number(/stopped(\d+) patient/.exec(text)?.[1]);
    await page.getByRole('tab', { name: `Patients (${110 + enrolled})` }).waitFor();
    await harness.screenshot('job-stopped-notification-light', { notifications: true });
    await harness.close();
  });
});
