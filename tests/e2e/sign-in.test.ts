import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../../main/secrets/keytar-secret-store';
import { closeBrowser, startE2eHarness } from '../support/e2e-harness';
import { goTo, signInThroughUi } from '../support/e2e-flows';
import { type LocalServer, startTestServer } from '../support/local-server';

let server: LocalServer;
beforeAll(async () => {
  server = await startTestServer({ projectName: 'Riverbend MSO' });
});
afterAll(async () => {
  await server.stop();
  await closeBrowser();
});

describe('sign-in through the UI against the local server', () => {
  it('adds a connection, signs in with email and password, shows who is signed in, and signs out', async () => {
    const secrets = new KeytarSecretStore(`MSO e2e ${randomUUID()}`);
    const harness = await startE2eHarness({ secrets });
    const { page } = harness;
    await goTo(harness, 'Connections');
    await page.getByRole('button', { name: 'Add connection' }).click();
    await page.getByRole('textbox', { name: /^Name/ }).fill('Riverbend staging');
    const serverField = page.getByRole('textbox', { name: /Medplum server/ });
    await serverField.fill(server.baseUrl);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByTestId('connection-test-result').filter({ hasText: 'Reached' }).waitFor();
    await page.getByRole('textbox', { name: /MRN identifier system/ }).fill('https://riverbend.example/mrn');
    await harness.screenshot('connection-form-light');
    await page.getByRole('button', { name: 'Save connection' }).click();

    const row = page.getByTestId('connection-row-Riverbend staging');
    await row.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('textbox', { name: /^Email/ }).fill(server.admin.email);
    await page.getByLabel(/^Password/).fill(server.admin.password);
    await harness.screenshot('sign-in-dialog-light');
    await page.getByRole('dialog').getByRole('button', { name: 'Sign in' }).click();

    const whoAmI = page.getByTestId('who-am-i');
    await whoAmI.waitFor();
    await expect(whoAmI.textContent()).resolves.toContain('project administrator');
    await expect(page.getByTestId('connection-indicator').textContent()).resolves.toContain('Riverbend staging · Riverbend MSO');
    // The next step after signing in: the project's clinics, not the Connections page.
    await page.waitForURL(/#\/clinics$/);
    await goTo(harness, 'Connections');
    await row.getByText('Signed in').waitFor();
    await harness.screenshot('connections-signed-in-light');
    // The refresh token went to the keychain, and only there.
    const connectionId = (await harness.main.connections.list()).connections.find((c) => c.name === 'Riverbend staging')?.id as string;
    expect(await secrets.get(connectionId, 'refresh-token')).toEqual(expect.any(String));

    await page.getByTestId('connection-indicator').click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByTestId('connection-indicator').filter({ hasText: 'Not connected' }).waitFor();
    expect(await secrets.get(connectionId, 'refresh-token')).toBeNull();
    await harness.close();
  });

  it('opens the local sandbox in one click, marked so nobody mistakes it for production', async () => {
    const harness = await startE2eHarness({ colorScheme: 'dark' });
    const { page } = harness;
    await goTo(harness, 'Connections');
    await page.getByTestId('connection-row-Local sandbox').getByRole('button', { name: 'Open sandbox' }).click();
    await page.getByRole('button', { name: 'Open the sandbox' }).click();
    const indicator = page.getByTestId('connection-indicator');
    await indicator.filter({ hasText: 'Local sandbox' }).waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('who-am-i').textContent()).resolves.toContain('project administrator');
    await harness.screenshot('connections-sandbox-dark');
    await harness.close();
  });

  it('switches connections from the header', async () => {
    const harness = await startE2eHarness();
    const { page } = harness;
    await signInThroughUi(harness, {
      name: 'Riverbend staging',
      baseUrl: server.baseUrl,
      mrnSystem: 'https://riverbend.example/mrn',
      email: server.admin.email,
      password: server.admin.password,
    });
    await goTo(harness, 'Clinics');
    await page.getByTestId('connection-indicator').click();
    await page.getByRole('menuitem', { name: 'Local sandbox' }).waitFor();
    await harness.screenshot('connection-switcher-light');
    await page.getByRole('menuitem', { name: 'Local sandbox' }).click();
    await page.getByRole('button', { name: 'Open the sandbox' }).click();
    await page.getByTestId('connection-indicator').filter({ hasText: 'Local sandbox' }).waitFor({ timeout: 30_000 });
    expect(harness.main.sessions.current()?.isLocalSandbox).toBe(true);
    await harness.close();
  });
});
