/** Steps several end-to-end tests share, done the way an administrator does them. */
import type { E2eHarness } from './e2e-harness';

export async function goTo(harness: E2eHarness, area: string): Promise<void> {
  await harness.page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: area, exact: true }).click();
}

/** Adds a password connection in Connections and signs in with it. */
export async function signInThroughUi(
  harness: E2eHarness,
  connection: { name: string; baseUrl: string; mrnSystem: string; email: string; password: string },
): Promise<void> {
  const { page } = harness;
  await goTo(harness, 'Connections');
  await page.getByRole('button', { name: 'Add connection' }).click();
  await page.getByRole('textbox', { name: /^Name/ }).fill(connection.name);
  await page.getByRole('textbox', { name: /Medplum server/ }).fill(connection.baseUrl);
  await page.getByRole('textbox', { name: /MRN identifier system/ }).fill(connection.mrnSystem);
  await page.getByRole('button', { name: 'Save connection' }).click();
  await page.getByTestId(`connection-row-${connection.name}`).getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('textbox', { name: /^Email/ }).fill(connection.email);
  await page.getByLabel(/^Password/).fill(connection.password);
  await page.getByRole('dialog').getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('who-am-i').waitFor();
}

/** Opens the local sandbox from Connections. */
export async function openSandbox(harness: E2eHarness): Promise<void> {
  const { page } = harness;
  await goTo(harness, 'Connections');
  await page.getByTestId('connection-row-Local sandbox').getByRole('button', { name: 'Open sandbox' }).click();
  await page.getByRole('button', { name: 'Open the sandbox' }).click();
  await page.getByTestId('connection-indicator').filter({ hasText: 'Local sandbox' }).waitFor({ timeout: 30_000 });
}
