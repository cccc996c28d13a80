/**
 * Issue 12 end to end, in the local sandbox: unsafe situations made on the server through an
 * administrator's client, the audit screen showing them, a repair of many records run from the
 * UI as a job and gone on the next audit, the exports, "view as clinician" with the server's
 * verified list, and who can see what on the clinician, patient and clinic pages. Light and
 * dark, each screen checked with axe.
 */
import { readFile } from 'node:fs/promises';
import type { MedplumClient, WithId } from '@medplum/core';
import type { Observation, Patient, ProjectMembership } from '@medplum/fhirtypes';
import { afterAll, describe, expect, it } from 'vitest';
import { createSandboxLauncher } from '../../main/session/sandbox-launcher';
import { type E2eHarness, closeBrowser, startE2eHarness } from '../support/e2e-harness';
import { goTo, openSandbox } from '../support/e2e-flows';
import { signIn } from '../support/local-server';
import { type AxeFinding, seriousViolations } from './harness/axe-check';

afterAll(closeBrowser);

const DRIFTED = 6;

/** The sandbox's administrator, as a plain Medplum client beside the UI. */
async function sandboxAdmin(harness: E2eHarness): Promise<{ admin: MedplumClient; projectId: string }> {
  const sandbox = await harness.main.sandbox.ensureStarted();
  return { admin: await signIn(sandbox, sandbox.admin.email, sandbox.admin.password, sandbox.projectId), projectId: sandbox.projectId };
}

/** Observations written by an admin with their own meta (another clinic), a patient in no clinic, and a membership that sees everything. */
async function makeUnsafe(admin: MedplumClient, projectId: string, drift = DRIFTED): Promise<{ drifted: WithId<Observation>[]; clinicianName: string; clinicianId: string; patient: WithId<Patient> }> {
  const clinics = await admin.searchResources('Organization', { _count: '10' }, { cache: 'no-cache' });
  const riverside = clinics.find((clinic) => clinic.name === 'Riverside Family Health');
  const northgate = clinics.find((clinic) => clinic.name === 'Northgate Pediatrics');
  if (!riverside || !northgate) throw new Error('The demo clinics are missing');
  const patients = await admin.searchResources('Patient', { _compartment: `Organization/${riverside.id}`, _count: String(drift), _sort: 'family' }, { cache: 'no-cache' });
  const drifted: WithId<Observation>[] = [];
  for (const patient of patients.slice(0, drift)) {
    drifted.push(
      await admin.createResource<Observation>({
        resourceType: 'Observation',
        status: 'final',
        code: { text: 'Body weight' },
        subject: { reference: `Patient/${patient.id}` },
        meta: { accounts: [{ reference: `Organization/${northgate.id}` }] },
      }),
    );
  }
  await admin.createResource<Patient>({ resourceType: 'Patient', name: [{ given: ['Noah'], family: 'Nowhere' }] });
  await admin.invite(projectId, {
    resourceType: 'Practitioner',
    firstName: 'Wendy',
    lastName: 'Wide',
    email: `wendy.wide.${Date.now()}@clinic.sandbox.local`,
    sendEmail: false,
    scope: 'project',
  });
  // A demo clinician of Riverside, for "view as" and their page.
  const memberships = await admin.searchResources('ProjectMembership', { _count: '100' }, { cache: 'no-cache' });
  const enrolled = memberships.find(
    (m: ProjectMembership) => m.profile?.reference?.startsWith('Practitioner/') && (m.access ?? []).some((entry) => entry.parameter?.[0]?.valueReference?.reference === `Organization/${riverside.id}`),
  );
  const clinicianId = enrolled?.profile?.reference?.split('/')[1] ?? '';
  const clinician = await admin.readResource('Practitioner', clinicianId);
  const given = clinician.name?.[0]?.given?.join(' ') ?? '';
  return { drifted, clinicianName: `${given} ${clinician.name?.[0]?.family ?? ''}`.trim(), clinicianId, patient: patients[0] as WithId<Patient> };
}

async function journey(scheme: 'light' | 'dark'): Promise<AxeFinding[]> {
  const harness = await startE2eHarness({ colorScheme: scheme });
  const { page } = harness;
  const findings: AxeFinding[] = [];
  const shot = async (name: string) => {
    await harness.screenshot(`${name}-${scheme}`);
    findings.push(...(await seriousViolations(page, `${name}-${scheme}`)));
  };
  await openSandbox(harness);
  const { admin, projectId } = await sandboxAdmin(harness);
  const unsafe = await makeUnsafe(admin, projectId);

  // 1. The audit finds what was made, grouped by severity.
  await goTo(harness, 'Access audit');
  await page.getByRole('button', { name: 'Run audit', exact: true }).click();
  await page.getByTestId('audit-summary').getByText(/^Audited /).waitFor({ timeout: 60_000 });
  const critical = page.getByTestId('findings-critical');
  const drift = critical.locator('[data-finding-id="compartment-drift:project"]');
  await drift.waitFor();
  await expect(drift.getByText(`Concerns ${DRIFTED} records`).count()).resolves.toBe(1);
  await critical.getByText('A membership that sees the whole project').waitFor();
  await page.getByTestId('findings-warning').getByText('Patients in no clinic').waitFor();
  await shot('audit-findings');
  // The same at 1024×700: the header's buttons wrap under the summary, nothing is cut.
  await page.setViewportSize({ width: 1024, height: 700 });
  await harness.screenshot(`audit-findings-${scheme}-1024`);
  findings.push(...(await seriousViolations(page, `audit-findings-${scheme}-1024`)));
  await page.setViewportSize({ width: 1280, height: 800 });

  // 2. Review fix: what will change, before anything is written.
  await drift.getByRole('button', { name: 'Review fix' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('repair-preview').waitFor();
  await expect(dialog.getByTestId('repair-changes').locator('tbody tr').count()).resolves.toBe(DRIFTED);
  await shot('audit-review-fix');
  const before = await admin.readResource('Observation', unsafe.drifted[0]?.id ?? '', { cache: 'no-cache' });
  expect(before.meta?.accounts?.map((account) => account.reference)).not.toContain(unsafe.patient.meta?.accounts?.[0]?.reference);

  // 3. Apply: a job over the six records, then the audit runs again without the finding.
  await dialog.getByRole('button', { name: `Apply the fix to ${DRIFTED} records` }).click();
  await dialog.locator('[data-testid="job-progress"][data-state="succeeded"]').waitFor({ timeout: 60_000 });
  await dialog.getByTestId('recheck').getByText('Audited again: this finding is gone.').waitFor({ timeout: 60_000 });
  await shot('audit-repair-done');
  for (const observation of unsafe.drifted) {
    const after = await admin.readResource('Observation', observation.id, { cache: 'no-cache' });
    const subject = await admin.readResource('Patient', after.subject?.reference?.split('/')[1] ?? '', { cache: 'no-cache' });
    expect(after.meta?.accounts?.map((account) => account.reference).sort()).toEqual(subject.meta?.accounts?.map((account) => account.reference).sort());
  }
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  await drift.waitFor({ state: 'detached', timeout: 60_000 });
  await critical.getByText('A membership that sees the whole project').waitFor();

  // 4. Exports, from main: the CSV as a download, the report as a preview that prints alone.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csv = await download;
  expect(csv.suggestedFilename()).toMatch(/\.csv$/);
  const csvText = await readFile(await csv.path(), 'utf8');
  expect(csvText).toContain('A membership that sees the whole project');
  expect(csvText).not.toContain('compartment-drift');
  await page.getByRole('button', { name: 'Printable report' }).click();
  const report = page.getByRole('dialog', { name: 'Printable report' });
  await report.getByTestId('report-preview').getByText('A membership that sees the whole project').first().waitFor();
  await shot('audit-printable-report');
  // The window's print: only the report is on the page while it prints (print itself is stubbed here).
  await page.evaluate(() => {
    window.print = () => undefined;
  });
  await report.getByRole('button', { name: 'Print or save as PDF' }).click();
  await page.locator('.print-only-report').waitFor({ state: 'attached' });
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Main navigation' }).isVisible()).resolves.toBe(false);
  // Dark on light whatever the window's scheme, as on paper.
  await expect(page.locator('.print-only-report').evaluate((element) => getComputedStyle(element).color)).resolves.toBe('rgb(0, 0, 0)');
  await harness.screenshot(`audit-report-print-${scheme}`);
  await page.emulateMedia({ media: 'screen' });
  await report.getByRole('button', { name: 'Close', exact: true }).click();
  await report.waitFor({ state: 'detached' });

  // 5. View as clinician: the list the server itself gives them, verified.
  await page.getByRole('tab', { name: 'View as clinician' }).click();
  await page.getByRole('textbox', { name: 'Clinician' }).fill(unsafe.clinicianName.split(' ').pop() ?? '');
  await page.getByRole('option', { name: new RegExp(unsafe.clinicianName) }).click();
  const result = page.getByTestId('view-as-result');
  await result.getByTestId('verification').first().waitFor({ timeout: 60_000 });
  await expect(result.getByTestId('verification').first().getAttribute('data-state')).resolves.toBe('verified');
  expect(await result.getByTestId('view-as-patients').first().getByRole('link').count()).toBeGreaterThan(10);
  await shot('audit-view-as');

  // 6. Who can see what, from the people and clinic pages.
  await page.goto(`${harness.baseUrl}/index.html#/clinicians/${unsafe.clinicianId}`);
  const access = page.getByTestId('clinician-access');
  await access.getByTestId('access-clinics').waitFor();
  await expect(access.getByTestId('clinician-patient-count').textContent()).resolves.toMatch(/ can see \d+ patients\.$/);
  await access.scrollIntoViewIfNeeded();
  await shot('clinician-access');
  await page.goto(`${harness.baseUrl}/index.html#/patients/${unsafe.patient.id}`);
  const seenBy = page.getByTestId('patient-access');
  await seenBy.getByTestId('patient-clinicians').waitFor();
  await expect(seenBy.getByTestId('patient-clinician-count').textContent()).resolves.toMatch(/^\d+ clinicians? can see .+'s records, through Riverside Family Health/);
  await seenBy.scrollIntoViewIfNeeded();
  await shot('patient-access');
  await goTo(harness, 'Clinics');
  await page.getByTestId('clinics-table').getByRole('link', { name: 'Riverside Family Health' }).click();
  await page.getByRole('tab', { name: 'Who can see what' }).click();
  await page.getByTestId('clinic-access-clinicians').waitFor();
  await expect(page.getByTestId('clinic-access-sentence').textContent()).resolves.toMatch(/^\d+ clinicians can see the \d+ patients of Riverside Family Health\.$/);
  await shot('clinic-access');
  await harness.close();
  return findings;
}

describe('access audit through the UI', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`finds unsafe access, repairs it as a job, exports, and views as a clinician (${scheme})`, async () => {
      const findings = await journey(scheme);
      expect(findings).toEqual([]);
    });
  }
});

describe('a repair of many records', () => {
  it('runs as a job with progress, stops on Cancel, and the next audit lists what is left', async () => {
    // A slow server (150 ms a request) so that the job is still running when Cancel is clicked.
    const sandbox = createSandboxLauncher({ server: { faults: { seed: 5, latencyMs: 150 } } });
    const harness = await startE2eHarness({ sandbox });
    const { page } = harness;
    await openSandbox(harness);
    const { admin, projectId } = await sandboxAdmin(harness);
    await makeUnsafe(admin, projectId, 20);
    await goTo(harness, 'Access audit');
    await page.getByRole('button', { name: 'Run audit', exact: true }).click();
    // The audit is a job too: its panel counts requests of the bound, with Cancel, until it ends.
    const auditing = page.locator('[data-testid="job-progress"][data-state="running"]');
    await auditing.getByText(/^[1-9]\d* of \d+/).waitFor({ timeout: 30_000 });
    await auditing.getByRole('button', { name: 'Cancel' }).waitFor();
    await harness.screenshot('audit-running-light');
    const drift = page.locator('[data-finding-id="compartment-drift:project"]');
    await drift.getByText('Concerns 20 records').waitFor({ timeout: 120_000 });
    await drift.getByRole('button', { name: 'Review fix' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Apply the fix to 20 records' }).click();
    await dialog.getByText(/^\d+ of 20/).first().waitFor();
    await harness.screenshot('audit-repair-running-light');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.locator('[data-testid="job-progress"][data-state="cancelled"]').waitFor({ timeout: 60_000 });
    await dialog.getByTestId('recheck').getByText(/^Audited again: the finding is still listed, for \d+ records\.$/).waitFor({ timeout: 120_000 });
    await harness.screenshot('audit-repair-cancelled-light');
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    // The audit ran again: the records the job did not reach are still listed, fewer than before.
    await expect
      .poll(async () => Number(/Concerns (\d+) record/.exec((await drift.textContent({ timeout: 120_000 })) ?? '')?.[1] ?? 20), { timeout: 120_000 })
      .toBeLessThan(20);
    await harness.close();
  });
});
