/**
 * The roster import wizard through the real UI over the real main handlers, into the local
 * sandbox: choose a file (main's dialog, faked to answer with a path), correct a column, read
 * the dry run, confirm, follow the progress, read the summary; then the clinic page lists exactly
 * the imported patients. Screens are saved for docs/screens.md (DOCS_SCREENSHOTS=1).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImportDialogs } from '../../main/ipc/import-handlers';
import { createSandboxLauncher } from '../../main/session/sandbox-launcher';
import { type E2eHarness, closeBrowser, readPngInfo, startE2eHarness } from '../support/e2e-harness';
import { goTo, openSandbox } from '../support/e2e-flows';
import { type AxeFinding, seriousViolations } from './harness/axe-check';

afterAll(closeBrowser);

// Every screen of the wizard is checked by axe-core as it is taken; none may have a serious finding.
const findings: AxeFinding[] = [];
async function shot(harness: E2eHarness, name: string): Promise<string> {
  findings.push(...(await seriousViolations(harness.page, name)));
  return harness.screenshot(name);
}

const NEW_CLINIC = 'Harborview Women’s Health';
const GIVEN = ['Aisha', 'Bruno', 'Carmen', 'Dmitri', 'Esther', 'Farah', 'Gabriel', 'Hana', 'Ibrahim', 'Julia', 'Kenji', 'Leila', 'Mateo', 'Nadia', 'Oscar', 'Paloma', 'Rafael', 'Sofia', 'Tomas', 'Valentina', 'Wen', 'Yara', 'Zainab'];
const FAMILY = ['Okafor', 'Lindqvist', 'Moreau', 'Ivanova', 'Haddad', 'Tanaka', 'Silva', 'Kowalski', 'Nguyen', 'Brennan', 'Adeyemi', 'Castillo'];

/** 23 patients (20 in the new clinic, 3 also in a demo clinic) and two rows a spreadsheet got wrong. */
function roster(dir: string): string {
  const lines = ['Patient ID,First Name,Last Name,DOB,Sex,Site,Chart Notes'];
  GIVEN.forEach((given, index) => {
    const site = index < 20 ? NEW_CLINIC : `Riverside Family Health;${NEW_CLINIC}`;
    lines.push(`HV-${String(1001 + index)},${given},${FAMILY[index % FAMILY.length]},${1950 + index}-0${1 + (index % 9)}-1${index % 9},${index % 3 ? 'F' : 'M'},${site},`);
  });
  lines.push(`HV-2001,Quinn,Abernathy,1988-02-30,F,${NEW_CLINIC},`);
  lines.push(`HV-2002,Rhea,Castellanos,1979-11-04,X,${NEW_CLINIC},`);
  const file = path.join(dir, 'harborview-roster.csv');
  writeFileSync(file, `${lines.join('\r\n')}\r\n`);
  return file;
}

function fakeDialogs(open: string, save: string): ImportDialogs {
  return { chooseRosterFile: async () => open, chooseErrorReportTarget: async () => save };
}

describe('the import wizard in the sandbox', () => {
  it('imports a roster with a corrected column, reports its errors, and the clinic page then lists exactly its patients', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mso-e2e-import-'));
    const harness = await startE2eHarness({ importDialogs: fakeDialogs(roster(dir), path.join(dir, 'errors.csv')) });
    const { page } = harness;
    await openSandbox(harness);
    await goTo(harness, 'Import');
    await page.getByTestId('import-drop-zone').waitFor();
    await shot(harness, 'import-file-light');
    await page.getByRole('button', { name: 'Choose file…' }).click();

    // "Site" is not a column of the format: without it the file lacks its clinics.
    await page.getByText(/lacks the required column clinics/).waitFor();
    await page.getByRole('textbox', { name: 'Read column 6 (Site) as' }).click();
    await page.getByRole('option', { name: 'clinics', exact: true }).click();
    await page.getByText(/25 data rows, values separated by commas · 23 valid, 2 with errors/).waitFor();
    await shot(harness, 'import-columns-light');

    await page.getByRole('button', { name: 'Check against the server' }).click();
    const counts = page.getByTestId('plan-counts');
    await counts.waitFor();
    // The new clinic does not exist yet: its rows are errors until "Create missing clinics".
    await expect(counts.textContent()).resolves.toContain('25rows with errors');
    await page.getByRole('button', { name: 'Choose options' }).click();
    await page.getByLabel('Create missing clinics').check();
    await page.getByRole('button', { name: 'Back' }).click();
    await expect(counts.textContent()).resolves.toContain('23rows to create');
    await expect(counts.textContent()).resolves.toContain('2rows with errors');
    await page.getByTestId('import-issues').getByText('4 (DOB)').waitFor();
    await shot(harness, 'import-dry-run-light');

    await page.getByRole('button', { name: 'Choose options' }).click();
    await shot(harness, 'import-options-light');
    await page.getByRole('button', { name: 'Review the import' }).click();
    const confirm = page.getByTestId('import-confirm');
    await confirm.getByText(`23 patients will be created and enrolled in ${NEW_CLINIC} (23) and Riverside Family Health (3); 2 rows have errors and will be skipped.`).waitFor();
    await confirm.getByText(`A new clinic will be created: ${NEW_CLINIC}.`).waitFor();
    await shot(harness, 'import-confirm-light');

    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor({ timeout: 30_000 });
    await expect(summary.textContent()).resolves.toContain('23 patients created, 0 changed, 1 clinic created.');
    await shot(harness, 'import-summary-light');
    await page.getByRole('button', { name: 'Save error report (2 rows)' }).click();
    await page.getByText('Error report saved').waitFor();

    // The new clinic's page lists exactly the imported patients.
    await goTo(harness, 'Clinics');
    await page.getByTestId('clinics-table').getByRole('link', { name: NEW_CLINIC }).click();
    await page.getByTestId('clinic-patients').waitFor();
    await expect(page.getByTestId('row-count').textContent()).resolves.toMatch(/of 23$/);
    await page.getByTestId('clinic-patients').getByText('HV-1001').waitFor();
    await page.getByTestId('clinic-patients').getByText('Aisha Okafor').waitFor();
    const png = await readPngInfo(await shot(harness, 'import-clinic-after-light'));
    expect(png).toMatchObject({ isPng: true, width: 1280, height: 800 });

    // One Activity entry for the import, with its counts.
    await goTo(harness, 'Activity');
    await page.getByText('Imported a roster').first().waitFor();
    await harness.close();
    expect(findings).toEqual([]);
  });

  it('shows the screens readably in dark at 1024×700; a roster larger than a minute of quota paces itself, and Cancel stops it for a later resume', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mso-e2e-import-'));
    const lines = ['mrn,given_name,family_name,birth_date,clinics'];
    // 600 new patients spend 60,000 points: more than the sandbox's 50,000 a minute, so the import waits for the quota.
    for (let index = 0; index < 600; index++) lines.push(`LK-${5000 + index},${GIVEN[index % GIVEN.length]},${FAMILY[index % FAMILY.length]},19${50 + (index % 49)}-0${1 + (index % 9)}-2${index % 8},Lakeshore Internal Medicine`);
    lines.push('LK-9999,Mirela,Dobrev,2090-01-01,Lakeshore Internal Medicine');
    const file = path.join(dir, 'lakeshore-roster.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const harness = await startE2eHarness({
      colorScheme: 'dark',
      viewport: { width: 1024, height: 700 },
      importDialogs: fakeDialogs(file, path.join(dir, 'errors.csv')),
      // Metered like a hosted Medplum (50,000 points a minute), with its RateLimit header.
      sandbox: createSandboxLauncher({ server: { quota: { pointsPerWindow: 50_000 } } }),
    });
    const { page } = harness;
    await openSandbox(harness);
    await goTo(harness, 'Import');
    await page.getByRole('button', { name: 'Choose file…' }).click();
    await page.getByText(/601 data rows/).waitFor();
    await shot(harness, 'import-columns-dark');
    await page.getByRole('button', { name: 'Check against the server' }).click();
    await page.getByTestId('import-issues').getByText(/in the future/).waitFor();
    await shot(harness, 'import-dry-run-dark');
    await page.getByRole('button', { name: 'Choose options' }).click();
    await page.getByRole('button', { name: 'Review the import' }).click();
    await page.getByTestId('import-confirm').getByText('600 patients will be created and enrolled in Lakeshore Internal Medicine; 1 row has errors and will be skipped.').waitFor();
    await shot(harness, 'import-confirm-dark');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const progress = page.locator('[data-testid="job-progress"][data-state="running"]');
    await progress.getByText(/quota points left this minute/).waitFor({ timeout: 30_000 });
    await progress.getByText(/^[1-9]\d* of 600/).waitFor();
    // Time left counts what the quota still allows, not only the rate of the first, unpaced minute.
    const facts = (await progress.getByText(/^[1-9]\d* of 600/).textContent()) ?? '';
    const [, amount, unit] = /about (\d+) (s|min) left/.exec(facts) ?? [];
    expect(unit === 'min' || Number(amount) >= 5, facts).toBe(true);
    await shot(harness, 'import-progress-dark');
    await progress.getByRole('button', { name: 'Cancel' }).click();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor({ timeout: 30_000 });
    await expect(summary.textContent()).resolves.toMatch(/^Import stopped on request[1-9]\d* patients created/);
    await summary.getByRole('button', { name: 'Resume the import' }).waitFor();
    await shot(harness, 'import-summary-dark');
    await harness.close();
    expect(findings).toEqual([]);
  });
});
