/**
 * A dialog's actions are always visible and never covered: at 1024×700 and 1280×800, with a
 * server refusal shown, with the clinic picker open and with a notification on screen.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { closeBrowser, startE2eHarness } from '../support/e2e-harness';
import { goTo, openSandbox } from '../support/e2e-flows';

afterAll(closeBrowser);

/** True when the button is inside the window and is what a click at its centre would hit. */
async function reachable(page: Page, button: Locator): Promise<boolean> {
  const box = await button.boundingBox();
  const viewport = page.viewportSize();
  if (!box || !viewport) return false;
  if (box.y < 0 || box.y + box.height > viewport.height || box.x < 0 || box.x + box.width > viewport.width) return false;
  return button.evaluate((element, point) => {
    const hit = document.elementFromPoint(point.x, point.y);
    return hit !== null && (element === hit || element.contains(hit));
  }, { x: box.x + box.width / 2, y: box.y + box.height / 2 });
}

describe('dialog actions', () => {
  for (const viewport of [
    { width: 1024, height: 700 },
    { width: 1280, height: 800 },
  ]) {
    it(`stay visible and uncovered at ${viewport.width}×${viewport.height}`, async () => {
      const harness = await startE2eHarness({ viewport });
      const { page } = harness;
      await openSandbox(harness);
      await goTo(harness, 'Clinicians');
      await page.getByRole('button', { name: 'Invite clinician' }).first().click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('textbox', { name: /^Given name/ }).fill('Amelia');
      await dialog.getByRole('textbox', { name: /^Family name/ }).fill('Again');
      // A sandbox clinician's email: the server refuses, and says so under Email.
      await dialog.getByRole('textbox', { name: /^Email/ }).fill('amelia.abbott@clinic.sandbox.local');
      await dialog.getByRole('textbox', { name: 'Clinics' }).click();
      await page.getByRole('option').first().click();
      // The picker is still open after a choice: Cancel and Invite must not be under it.
      const invite = dialog.getByRole('button', { name: 'Invite clinician' });
      const cancel = dialog.getByRole('button', { name: 'Cancel' });
      expect(await reachable(page, cancel)).toBe(true);
      expect(await reachable(page, invite)).toBe(true);
      await page.keyboard.press('Escape');
      await invite.click();
      await dialog.getByText(/already a member of this project/).waitFor();
      expect(await reachable(page, invite)).toBe(true);
      expect(await reachable(page, cancel)).toBe(true);
      await harness.screenshot(`invite-refused-${viewport.width}`);
      await harness.close();
    });
  }
});
