import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { Root } from '../../renderer/src/Root';
import { createDirectApi, createTestMain } from '../support/ipc';

async function openAddConnection() {
  const main = createTestMain();
  window.location.hash = '#/connections';
  render(<Root api={createDirectApi(main)} />);
  await userEvent.click(await screen.findByRole('button', { name: 'Add connection' }));
  // The dialog opens with a transition: wait until its form is there.
  await screen.findByRole('button', { name: 'Save connection' });
  return main;
}

describe('connection form', () => {
  it('validates as you type and names the field at fault', async () => {
    await openAddConnection();
    const server = screen.getByLabelText(/Medplum server/);
    await userEvent.clear(server);
    await userEvent.type(server, 'http://medplum.example.org');
    expect(await screen.findByText(/must be an https:\/\/ address/i)).toBeInTheDocument();
    await userEvent.clear(server);
    await userEvent.type(server, 'https://medplum.example.org');
    expect(screen.queryByText(/must be an https:\/\/ address/i)).not.toBeInTheDocument();
  });

  it('saves a valid connection in main, and lists it', async () => {
    const main = await openAddConnection();
    await userEvent.type(await screen.findByRole('textbox', { name: /^Name/ }), 'Production');
    await userEvent.type(screen.getByLabelText(/MRN identifier system/), 'https://mso.example/mrn');
    await userEvent.click(screen.getByRole('button', { name: 'Save connection' }));
    expect(await screen.findByTestId('connection-row-Production')).toBeInTheDocument();
    const { connections } = await main.connections.list();
    expect(connections.map((connection) => connection.name)).toEqual(['Local sandbox', 'Production']);
    expect(connections[1]).toMatchObject({ baseUrl: 'https://api.medplum.com/', mrnSystem: 'https://mso.example/mrn', signIn: { method: 'password' } });
  });

  it('does not send an invalid form to main', async () => {
    const main = await openAddConnection();
    const save = vi.spyOn(main.connections, 'upsert');
    await userEvent.click(screen.getByRole('button', { name: 'Save connection' }));
    expect(await screen.findByText('Is required')).toBeInTheDocument();
    expect(save).not.toHaveBeenCalled();
  });
});
