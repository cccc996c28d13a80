/**
 * Visits every screen of the console in the local sandbox, in light and dark, and saves a
 * screenshot of each (docs/screenshots with DOCS_SCREENSHOTS=1). Each visit also asserts that the
 * screen shows real data, so a broken screen fails here rather than in a picture.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type E2eHarness, closeBrowser, readPngInfo, startE2eHarness } from '../support/e2e-harness';
import { goTo, openSandbox } from '../support/e2e-flows';
import { type AxeFinding, seriousViolations } from './harness/axe-check';

afterAll(closeBrowser);

async function tour(harness: E2eHarness, scheme: 'light' | 'dark', findings: AxeFinding[], suffix: string): Promise<string[]> {
  const { page } = harness;
  const shots: string[] = [];
  // Every screen is also checked for accessibility as it is shown.
  const shot = async (name: string) => {
    shots.push(await harness.screenshot(`${name}-${scheme}${suffix}`));
    findings.push(...(await seriousViolations(page, `${name}-${scheme}`)));
  };

  await openSandbox(harness);
  // Signing in leads on to the clinics; the Connections page then shows the sandbox signed in.
  await page.waitForURL(/#\/clinics$/);
  await goTo(harness, 'Connections');
  await page.getByTestId('connection-row-Local sandbox').getByText('Signed in').waitFor();
  await shot('connections');

  await goTo(harness, 'Clinics');
  await page.getByTestId('clinics-table').waitFor();
  await shot('clinics');
  await page.getByTestId('clinics-table').getByRole('link').first().click();
  await page.getByTestId('clinic-patients').waitFor();
  await shot('clinic-patients');
  await page.getByRole('tab', { name: 'Clinicians' }).click();
  await page.getByTestId('clinic-clinicians').waitFor();
  await shot('clinic-clinicians');

  await goTo(harness, 'Clinicians');
  await page.getByTestId('clinician-count').waitFor();
  expect(await page.getByTestId('clinician-count').textContent()).toMatch(/^12 clinicians/);
  await shot('clinicians');
  await page.getByRole('main').getByRole('link', { name: /Dr\./ }).first().click();
  await page.getByTestId('sign-in-status').waitFor();
  await shot('clinician');

  await goTo(harness, 'Patients');
  await page.getByTestId('row-count').waitFor();
  expect(await page.getByTestId('row-count').textContent()).toMatch(/^1–50 of \d{3}/);
  await shot('patients');
  // Sorting by birth date asks the server again, and the page comes back in that order.
  await page.getByRole('columnheader', { name: /Birth date/ }).getByRole('button').click();
  await page.getByRole('columnheader', { name: /Birth date/ }).and(page.locator('[aria-sort="ascending"]')).waitFor();
  await expect
    .poll(async () => {
      const dates = await page.getByRole('main').getByRole('table').locator('tbody tr td:nth-child(3)').allTextContents();
      return dates.length > 1 && dates.every((date, index) => index === 0 || (dates[index - 1] as string) <= date);
    })
    .toBe(true);
  await page.getByRole('columnheader', { name: /Name/ }).getByRole('button').click();
  await page.getByRole('main').getByRole('table').getByRole('link').first().click();
  await page.getByTestId('current-clinics').waitFor();
  await shot('patient');
  // Removing a patient from a clinic counts the clinicians who lose sight of them, as the clinician side does.
  await page.getByTestId('current-clinics').getByRole('button', { name: /^Remove from / }).first().click();
  await page.getByRole('dialog').getByText(/^The 5 clinicians of .+ will no longer see/).waitFor();
  await page.getByRole('dialog').getByRole('button', { name: 'Keep access' }).click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });

  await goTo(harness, 'Directory');
  await page.getByRole('main').getByRole('table').waitFor();
  await shot('directory');

  await goTo(harness, 'Import');
  await page.getByTestId('import-drop-zone').waitFor();
  await shot('import');

  await goTo(harness, 'Access audit');
  // The policy is the audit's third tab (Findings and View as clinician come first).
  await page.getByRole('tab', { name: 'Access policy' }).click();
  await page.getByText('Installed and as expected').waitFor();
  await shot('access-audit');

  await goTo(harness, 'Activity');
  await page.getByTestId('empty-state').or(page.getByTestId('activity-table')).waitFor();
  await shot('activity');

  await page.getByRole('button', { name: 'About MSO Admin Console' }).click();
  await page.getByTestId('about-details').waitFor();
  await shot('about');
  return shots;
}

describe('every screen, light and dark, at 1280×800 and 1024×700', () => {
  for (const viewport of [
    { width: 1280, height: 800, suffix: '' },
    { width: 1024, height: 700, suffix: '-1024' },
  ]) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`shows real data on every screen in ${scheme} mode at ${viewport.width}×${viewport.height}`, async () => {
        const harness = await startE2eHarness({ colorScheme: scheme, viewport: { width: viewport.width, height: viewport.height } });
        const findings: AxeFinding[] = [];
        const shots = await tour(harness, scheme, findings, viewport.suffix);
        await harness.close();
        expect(shots).toHaveLength(13);
        // axe-core: no serious or critical violation on any screen.
        expect(findings).toEqual([]);
        for (const file of shots) expect(await readPngInfo(file)).toMatchObject({ isPng: true, width: viewport.width, height: viewport.height });
      });
    }
  }
});
