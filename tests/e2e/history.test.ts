/**
 * Access history and undo through the real UI over the real handlers, in the local sandbox: a
 * clinician is removed from a clinic on their page; the page's timeline says who did it; the
 * change is undone from Activity after a preview in words; the clinician's page then shows the
 * clinic again, and the clinician, signed in on their own, sees exactly as many patients as before.
 * Screenshots and axe on each screen.
 */
import type { MedplumClient } from '@medplum/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createSandboxLauncher } from '../../main/session/sandbox-launcher';
import { closeBrowser, startE2eHarness } from '../support/e2e-harness';
import { goTo, openSandbox } from '../support/e2e-flows';
import { signIn } from '../support/local-server';
import { type AxeFinding, seriousViolations } from './harness/axe-check';

afterAll(closeBrowser);

// The demo clinicians' shared password, fixed here so the test can sign in as one of them.
const CLINICIAN_PASSWORD = 'history-e2e-clinician';

/** How many patients the clinician can see, asked of the server as that clinician. */
async function patientsSeenBy(clinician: MedplumClient): Promise<number> {
  const bundle = await clinician.search('Patient', { _count: '1', _total: 'accurate' }, { cache: 'no-cache' });
  return bundle.total ?? -1;
}

describe('access history and undo', () => {
  for (const { scheme, viewport, suffix } of [
    { scheme: 'light', viewport: { width: 1280, height: 800 }, suffix: '' },
    { scheme: 'dark', viewport: { width: 1280, height: 800 }, suffix: '' },
    { scheme: 'light', viewport: { width: 1024, height: 700 }, suffix: '-1024' },
  ] as const) {
    it(`shows a removal on the clinician's timeline with its author and undoes it from Activity (${scheme}, ${viewport.width}×${viewport.height})`, async () => {
      const sandbox = createSandboxLauncher({ server: { clinicianPassword: CLINICIAN_PASSWORD } });
      const harness = await startE2eHarness({ colorScheme: scheme, viewport, sandbox });
      const { page } = harness;
      const findings: AxeFinding[] = [];
      const shot = async (name: string) => {
        await harness.screenshot(`${name}-${scheme}${suffix}`);
        findings.push(...(await seriousViolations(page, `${name}-${scheme}${suffix}`)));
      };
      await openSandbox(harness);

      await goTo(harness, 'Clinicians');
      await page.getByRole('main').getByRole('link', { name: /Dr\./ }).first().click();
      const clinics = page.getByTestId('current-clinics');
      await clinics.waitFor();
      const name = ((await page.getByRole('heading', { level: 2 }).textContent()) ?? '').trim();
      const removeButton = clinics.getByRole('button', { name: /^Remove from / }).first();
      const clinic = ((await removeButton.getAttribute('aria-label')) ?? '').replace(/^Remove from /, '');
      expect(clinic).not.toBe('');
      const clinicianUrl = page.url();
      const email = ((await page.getByTestId('person-facts').getByText(/@clinic\.sandbox\.local$/).textContent()) ?? '').trim();
      const { baseUrl, projectId } = await sandbox.ensureStarted();
      const clinician = await signIn({ baseUrl }, email, CLINICIAN_PASSWORD, projectId);
      const seenBefore = await patientsSeenBy(clinician);
      expect(seenBefore).toBeGreaterThan(0);

      // 1. The change, made the usual way.
      await removeButton.click();
      await page.getByRole('dialog').getByRole('button', { name: `Remove from ${clinic}` }).click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await clinics.getByText(clinic, { exact: true }).waitFor({ state: 'detached' });
      expect(await patientsSeenBy(clinician)).toBeLessThan(seenBefore);

      // 2. On the timeline, newest first, with who did it.
      const timeline = page.getByRole('list', { name: 'Access history' });
      const newest = timeline.getByTestId('timeline-sentence').first();
      await expect.poll(() => newest.textContent(), { timeout: 15_000 }).toMatch(new RegExp(`^[A-Z][a-z]{2} \\d{1,2}, \\d{2}:\\d{2} · Sandbox Admin removed ${escape(clinic)}`));
      await page.getByTestId('access-timeline').evaluate((element) => element.scrollIntoView({ block: 'end' }));
      await shot('clinician-history');

      // 3. Undone from Activity, after the preview says what it will do.
      await goTo(harness, 'Activity');
      const table = page.getByTestId('activity-table');
      await table.waitFor();
      const row = table.locator('tbody tr').first();
      await row.getByRole('link', { name, exact: true }).waitFor();
      await shot('activity-trail');
      await row.getByRole('button', { name: /^Undo: / }).click();
      const dialog = page.getByRole('dialog');
      const preview = dialog.getByTestId('undo-preview');
      await preview.waitFor();
      expect(await preview.textContent()).toMatch(new RegExp(`^${escape(name)} will again see .*${escape(clinic)}`));
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Keep as it is');
      await shot('undo-preview');
      await dialog.getByRole('button', { name: 'Undo', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      // The undo is a change of its own, newest on the trail, and says what it undid.
      await table.locator('tbody tr').first().getByTestId('undo-of').waitFor({ timeout: 15_000 });
      expect(await table.locator('tbody tr').count()).toBe(2);

      // 4. The clinician sees the clinic's patients again: on their page, and as main reads them.
      await page.goto(clinicianUrl);
      await page.getByTestId('current-clinics').getByText(clinic, { exact: true }).waitFor();
      await expect.poll(() => page.getByRole('list', { name: 'Access history' }).getByTestId('timeline-sentence').first().textContent(), { timeout: 15_000 }).toMatch(
        new RegExp(` · Sandbox Admin added ${escape(clinic)}`),
      );
      expect(await patientsSeenBy(clinician)).toBe(seenBefore);
      await page.getByTestId('access-timeline').evaluate((element) => element.scrollIntoView({ block: 'end' }));
      await shot('clinician-history-undone');

      // The clinic's own history tab.
      await goTo(harness, 'Clinics');
      await page.getByTestId('clinics-table').getByRole('link', { name: clinic, exact: true }).click();
      await page.getByRole('tab', { name: 'Access history' }).click();
      await page.getByTestId('access-timeline').waitFor();
      await page.getByTestId('timeline-line').or(page.getByTestId('timeline-empty')).first().waitFor({ timeout: 15_000 });
      await shot('clinic-history');

      await harness.close();
      expect(findings).toEqual([]);
    });
  }
});

describe('entries not yet sent, and an undo that meets a later change', () => {
  it("marks the console's changes not yet on the server's trail, sends them once it answers, and undoes only the change asked for", async () => {
    // While `refuseTrail`, the server refuses to store the console's AuditEvents (the changes themselves go through).
    let refuseTrail = true;
    const sandbox = createSandboxLauncher({
      server: { faults: { seed: 3, errorRate: 1, appliesTo: (method, path) => refuseTrail && method === 'POST' && path.startsWith('fhir/R4/AuditEvent') } },
    });
    const harness = await startE2eHarness({ sandbox });
    const { page } = harness;
    const findings: AxeFinding[] = [];
    const shot = async (name: string) => {
      await harness.screenshot(`${name}-light`);
      findings.push(...(await seriousViolations(page, `${name}-light`)));
    };
    await openSandbox(harness);
    await goTo(harness, 'Patients');
    await page.getByRole('main').getByRole('table').getByRole('link').first().click();
    const clinics = page.getByTestId('current-clinics');
    await clinics.waitFor();
    const patientUrl = page.url();

    // Two clinics added, one after the other.
    const added: string[] = [];
    for (let round = 0; round < 2; round++) {
      await page.getByRole('textbox', { name: 'Add to clinics' }).click();
      const option = page.getByRole('option').first();
      added.push(((await option.textContent()) ?? '').trim());
      await option.click();
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Add to clinics' }).click();
      await clinics.getByText(added[round] as string, { exact: true }).waitFor();
    }
    const [first, second] = added as [string, string];

    // Activity: both changes listed as not yet sent.
    await goTo(harness, 'Activity');
    await page.getByTestId('activity-table').waitFor();
    await expect.poll(() => page.getByTestId('not-yet-sent').count()).toBe(2);
    expect(await page.getByTestId('trail-pending').textContent()).toMatch(/^2 changes made here are not yet on the server's trail/);
    await shot('activity-not-yet-sent');

    // The server takes them again: the next read sends them, and they are marked no more.
    refuseTrail = false;
    await goTo(harness, 'Clinics');
    await goTo(harness, 'Activity');
    await page.getByTestId('activity-table').waitFor();
    await expect.poll(() => page.getByTestId('not-yet-sent').count(), { timeout: 15_000 }).toBe(0);
    await page.getByTestId('trail-pending').waitFor({ state: 'detached' });

    // The same two changes, read from the patient's own history, on the second tab.
    await page.getByRole('tab', { name: 'Changes on the records' }).click();
    const recent = page.getByRole('list', { name: 'Changes on the records' });
    await recent.waitFor();
    await expect.poll(() => recent.getByTestId('timeline-line').filter({ hasText: 'Sandbox Admin added' }).count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    await shot('activity-records');

    // Undoing the first addition exactly would lose the second: explained, and only its inverse offered.
    await page.goto(patientUrl);
    const timeline = page.getByRole('list', { name: 'Access history' });
    await timeline.waitFor();
    const firstLine = page.getByTestId('timeline-line').filter({ hasText: new RegExp(`Sandbox Admin added ${escape(first)}Undo$`) });
    await firstLine.getByRole('button', { name: 'Undo' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('undo-conflicts').waitFor();
    expect(await dialog.getByTestId('undo-conflicts').textContent()).toMatch(new RegExp(escape(second)));
    expect(await dialog.getByRole('button', { name: 'Undo', exact: true }).count()).toBe(0);
    await shot('undo-conflict');
    await dialog.getByRole('button', { name: 'Undo only this change' }).click();
    await dialog.waitFor({ state: 'detached' });
    await clinics.getByText(first, { exact: true }).waitFor({ state: 'detached' });
    await clinics.getByText(second, { exact: true }).waitFor();

    await harness.close();
    expect(findings).toEqual([]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
