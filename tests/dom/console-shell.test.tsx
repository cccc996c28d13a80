import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { Root } from '../../renderer/src/Root';
import { createDirectApi, createTestMain, emitEvent } from '../support/ipc';

describe('console shell', () => {
  it('shows every area in the navigation and the connection state', async () => {
    render(<Root api={createDirectApi(createTestMain())} />);
    const nav = await screen.findByRole('navigation', { name: 'Main navigation' });
    for (const label of ['Clinics', 'Clinicians', 'Patients', 'Directory', 'Import', 'Access audit', 'Activity', 'Connections']) {
      expect(within(nav).getByText(label)).toBeInTheDocument();
    }
    expect(await screen.findByTestId('connection-indicator')).toHaveTextContent('Not connected');
    expect(screen.getByRole('heading', { name: 'Clinics', level: 2 })).toBeInTheDocument();
  });

  it('navigates between areas and shows what to do next', async () => {
    render(<Root api={createDirectApi(createTestMain())} />);
    await userEvent.click(screen.getByText('Access audit'));
    expect(screen.getByRole('heading', { name: 'Access audit', level: 2 })).toBeInTheDocument();
    expect(await screen.findByTestId('empty-state')).toHaveTextContent('Connect to your Medplum project to see its access audit');
  });

  it('shows the version that main reports in the About dialog', async () => {
    render(<Root api={createDirectApi(createTestMain())} />);
    await userEvent.click(screen.getByRole('button', { name: 'About MSO Admin Console' }));
    const details = await screen.findByTestId('about-details');
    expect(details).toHaveTextContent('0.1.0-test');
    expect(details).toHaveTextContent(`Node ${process.versions.node}`);
  });

  it('opens the import area when the native menu says so', async () => {
    const main = createTestMain();
    render(<Root api={createDirectApi(main)} />);
    await screen.findByRole('heading', { name: 'Clinics', level: 2 });
    emitEvent(main, 'mso:event:menuCommand', { command: 'import' });
    expect(await screen.findByRole('heading', { name: 'Import', level: 2 })).toBeInTheDocument();
  });
});

describe('an expired session', () => {
  it('goes back to that connection’s sign-in, saying why', async () => {
    const main = createTestMain();
    const { connections } = await main.connections.list();
    render(<Root api={createDirectApi(main)} />);
    await screen.findByRole('heading', { name: 'Clinics', level: 2 });
    const reason = 'Your session ended or was revoked. Sign in again.';
    emitEvent(main, 'mso:event:sessionChanged', { state: 'expired', connectionId: connections[0]?.id, reason });
    expect(await screen.findByRole('button', { name: 'Open the sandbox' })).toBeInTheDocument();
    expect(screen.getByText(reason)).toBeInTheDocument();
  });
});
