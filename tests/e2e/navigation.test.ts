/**
 * Long lists keep their column headers in view under the header bar, and a new page starts at its
 * top with focus on it (not on the link left behind).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeBrowser, startE2eHarness } from '../support/e2e-harness';
import { goTo, openSandbox } from '../support/e2e-flows';

afterAll(closeBrowser);

describe('scrolling and navigating', () => {
  it('keeps table headers in view, and opens a record at its top with focus on the page', async () => {
    const harness = await startE2eHarness({ viewport: { width: 1024, height: 700 } });
    const { page } = harness;
    await openSandbox(harness);
    await goTo(harness, 'Patients');
    const table = page.getByTestId('patients-table');
    await table.locator('tbody tr').nth(40).waitFor();
    await page.mouse.wheel(0, 1500);
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(500);
    const header = await table.locator('thead').boundingBox();
    // Just under the 56 px header bar, however far the list has scrolled.
    expect(header?.y).toBeGreaterThanOrEqual(50);
    expect(header?.y).toBeLessThanOrEqual(60);

    await table.locator('tbody tr').nth(30).getByRole('link').click();
    await page.getByTestId('person-facts').waitFor();
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main-content');
    await harness.close();
  });
});
