import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManagedConfig } from '../../main/config/load-managed-config';
import { createMainServices } from '../../main/ipc/main-services';
import { createSenderPolicy } from '../../main/ipc/sender-policy';
import { silentLogger } from '../../main/logging/logger';
import { MemorySecretStore } from '../../main/secrets/memory-secret-store';
import { Root } from '../../renderer/src/Root';
import { TEST_ORIGIN, createDirectApi } from '../support/ipc';

const preset = {
  baseUrl: 'https://medplum.riverbend.example/',
  signIn: { method: 'password' },
  mrnSystem: 'https://riverbend.example/mrn',
  isolationMode: 'shared-membership',
};

function renderConnections(managedText: string) {
  const main = createMainServices({
    userDataDir: mkdtempSync(path.join(tmpdir(), 'mso-dom-managed-')),
    secrets: new MemorySecretStore(),
    managedConfig: parseManagedConfig('/etc/mso-admin-console/managed-config.json', managedText),
    appInfo: () => ({ name: 'MSO Admin Console', version: '0.1.0', platform: 'linux', packaged: false, runtime: { electron: null, chrome: null, node: '22' } }),
    openExternal: async () => undefined,
    publishJobProgress: () => undefined,
    publishSessionEvent: () => undefined,
    senderPolicy: createSenderPolicy({ allowedOrigins: [TEST_ORIGIN] }),
    logger: silentLogger,
  });
  window.location.hash = '#/connections';
  render(<Root api={createDirectApi(main)} />);
  return main;
}

describe('managed connections on the Connections screen', () => {
  it('shows a locked preset with a lock and no way to edit or remove it; an unlocked one stays editable; the sandbox can be hidden', async () => {
    renderConnections(
      JSON.stringify({
        version: 1,
        hideLocalSandbox: true,
        connections: [
          { ...preset, name: 'Riverbend production', locked: true },
          { ...preset, name: 'Riverbend staging', baseUrl: 'https://staging.riverbend.example/' },
        ],
      }),
    );
    const locked = await screen.findByTestId('connection-row-Riverbend production');
    expect(within(locked).getByLabelText('Locked by your IT team')).toBeInTheDocument();
    expect(within(locked).getByRole('button', { name: 'Edit' })).toBeDisabled();
    expect(within(locked).getByRole('button', { name: 'Remove' })).toBeDisabled();
    expect(within(locked).getByRole('button', { name: 'Sign in' })).toBeEnabled();
    await userEvent.hover(within(locked).getByTestId('connection-locked'));
    expect(await screen.findByText(/Set and locked by your IT team/)).toBeInTheDocument();

    const unlocked = screen.getByTestId('connection-row-Riverbend staging');
    expect(within(unlocked).getByText('Set by IT')).toBeInTheDocument();
    expect(within(unlocked).queryByLabelText('Locked by your IT team')).not.toBeInTheDocument();
    expect(within(unlocked).getByRole('button', { name: 'Edit' })).toBeEnabled();
    expect(screen.queryByTestId('connection-row-Local sandbox')).not.toBeInTheDocument();
    expect(screen.queryByTestId('managed-config-invalid')).not.toBeInTheDocument();
  });

  it('says plainly when the managed configuration is broken, and applies none of it', async () => {
    renderConnections('{ "version": 1, "hideLocalSandbox": true, "connections": [ { "name": "Riverbend production", } ] }');
    const alert = await screen.findByTestId('managed-config-invalid');
    expect(alert).toHaveTextContent("Your IT team's settings for this console could not be used");
    expect(alert).toHaveTextContent('/etc/mso-admin-console/managed-config.json');
    expect(alert).toHaveTextContent(/cannot be read as JSON at line 1, column \d+/);
    // Nothing of it applied: the sandbox is still offered and there is no preset.
    expect(await screen.findByTestId('connection-row-Local sandbox')).toBeInTheDocument();
    expect(screen.queryByTestId('connection-row-Riverbend production')).not.toBeInTheDocument();
  });
});
