/**
 * Long text never breaks the layout at 1024 px: a 200-character clinic name in the breadcrumb and
 * heading, a long unbroken patient name, and the lists that show them, with no sideways scrolling.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeBrowser, startE2eHarness } from '../support/e2e-harness';
import { goTo, openSandbox } from '../support/e2e-flows';

afterAll(closeBrowser);

const sidewaysScroll = () => document.documentElement.scrollWidth - document.documentElement.clientWidth;

describe('long text', () => {
  it('wraps or clamps long names, with no sideways scrolling at 1024×700', async () => {
    const harness = await startE2eHarness({ viewport: { width: 1024, height: 700 } });
    const { page } = harness;
    await openSandbox(harness);
    const clinicName = `Northgate ${'Pediatric and Adolescent Medicine '.repeat(6)}`.slice(0, 200).trim();
    await goTo(harness, 'Clinics');
    await page.getByRole('button', { name: 'New clinic' }).click();
    await page.getByRole('dialog').getByRole('textbox', { name: /^Name/ }).fill(clinicName);
    await page.getByRole('dialog').getByRole('button', { name: 'Create clinic' }).click();
    await page.getByRole('heading', { level: 2, name: clinicName }).waitFor();
    expect(await page.evaluate(sidewaysScroll)).toBeLessThanOrEqual(0);
    await harness.screenshot('long-clinic-name-1024');
    // An empty clinic says what to do next; "No matches" is only for a search that found nothing.
    await page.getByTestId('empty-state').waitFor();
    expect(await page.getByText('No matches').count()).toBe(0);

    await goTo(harness, 'Patients');
    await page.getByRole('button', { name: 'New patient' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: /^Given name/ }).fill('Wolfeschlegelsteinhausenbergerdorff'.repeat(5));
    await dialog.getByRole('textbox', { name: /^Family name/ }).fill('Long');
    await dialog.getByRole('textbox', { name: /^Birth date/ }).fill('1/2/1990');
    await dialog.getByRole('textbox', { name: /^MRN/ }).fill('LONG-1');
    await dialog.getByRole('button', { name: 'Create patient' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('current-clinics').or(page.getByTestId('no-clinics')).waitFor();
    expect(await page.evaluate(sidewaysScroll)).toBeLessThanOrEqual(0);
    await harness.screenshot('long-patient-name-1024');

    await goTo(harness, 'Patients');
    await page.getByRole('textbox', { name: 'Search patients by name or MRN' }).fill('LONG-1');
    await page.getByTestId('patients-table').getByText('Long', { exact: false }).first().waitFor();
    expect(await page.evaluate(sidewaysScroll)).toBeLessThanOrEqual(0);
    await harness.close();
  });
});
