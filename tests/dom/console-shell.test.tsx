import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createApi, type IpcTransport } from '../../preload/api/create-api';
import { Root } from '../../renderer/src/Root';
import { createDirectApi, createTestMain } from '../support/ipc';

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
    expect(await screen.findByTestId('empty-state')).toHaveTextContent('Connect to your Medplum project to see its access policy');
  });

  it('shows the version that main reports in the About dialog', async () => {
    render(<Root api={createDirectApi(createTestMain())} />);
    await userEvent.click(screen.getByRole('button', { name: 'About MSO Admin Console' }));
    const details = await screen.findByTestId('about-details');
    expect(details).toHaveTextContent('0.1.0-test');
    expect(details).toHaveTextContent(`Node ${process.versions.node}`);
  });

  it('opens the import area when the native menu says so', async () => {
    const listeners = new Map<string, (payload: unknown) => void>();
    const main = createTestMain();
    const direct = createDirectApi(main);
    const transport: IpcTransport = {
      invoke: async (channel, request) => {
        const name = channel.replace('mso:invoke:', '') as keyof typeof direct;
        return (direct[name] as (r: unknown) => Promise<unknown>)(request);
      },
      subscribe: (channel, listener) => {
        listeners.set(channel, listener);
        return () => listeners.delete(channel);
      },
    };
    render(<Root api={createApi(transport)} />);
    await screen.findByRole('heading', { name: 'Clinics', level: 2 });
    listeners.get('mso:event:menuCommand')?.({ command: 'import' });
    expect(await screen.findByRole('heading', { name: 'Import', level: 2 })).toBeInTheDocument();
  });
});

describe('an expired session', () => {
  it('goes back to that connection’s sign-in, saying why', async () => {
    const listeners = new Map<string, Set<(payload: unknown) => void>>();
    const main = createTestMain();
    const direct = createDirectApi(main);
    const transport: IpcTransport = {
      invoke: async (channel, request) => {
        const name = channel.replace('mso:invoke:', '') as keyof typeof direct;
        return (direct[name] as (r: unknown) => Promise<unknown>)(request);
      },
      subscribe: (channel, listener) => {
        const set = listeners.get(channel) ?? new Set();
        set.add(listener);
        listeners.set(channel, set);
        return () => set.delete(listener);
      },
    };
    const { connections } = await main.connections.list();
    const sandbox = connections[0];
    render(<Root api={createApi(transport)} />);
    await screen.findByRole('heading', { name: 'Clinics', level: 2 });
    const expired = { state: 'expired', connectionId: sandbox?.id, reason: 'Your session ended or was revoked. Sign in again.' };
    for (const listener of listeners.get('mso:event:sessionChanged') ?? []) listener(expired);
    expect(await screen.findByRole('button', { name: 'Open the sandbox' })).toBeInTheDocument();
    expect(screen.getByText('Your session ended or was revoked. Sign in again.')).toBeInTheDocument();
  });
});
