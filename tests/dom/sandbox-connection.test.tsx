/** The local sandbox: mentioned on the first screen, and added back after it was removed. */
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { Root } from '../../renderer/src/Root';
import { createDirectApi, createTestMain } from '../support/ipc';

describe('the local sandbox connection', () => {
  it('is offered on the first screen, and can be added back once removed', async () => {
    const main = createTestMain();
    render(<Root api={createDirectApi(main)} />);
    expect(await screen.findByText(/Open the local sandbox in Connections/)).toBeInTheDocument();

    await userEvent.click(within(screen.getByRole('navigation', { name: 'Main navigation' })).getByText('Connections'));
    const row = await screen.findByTestId('connection-row-Local sandbox');
    expect(screen.queryByRole('button', { name: 'Add the local sandbox' })).not.toBeInTheDocument();
    await userEvent.click(within(row).getByRole('button', { name: 'Remove' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Remove connection' }));
    await waitFor(() => expect(screen.queryByTestId('connection-row-Local sandbox')).not.toBeInTheDocument());
    expect((await main.connections.list()).connections.some((connection) => connection.signIn.method === 'local-sandbox')).toBe(false);

    await userEvent.click(screen.getByRole('button', { name: 'Add the local sandbox' }));
    const back = await screen.findByTestId('connection-row-Local sandbox');
    expect(within(back).getByRole('button', { name: 'Open sandbox' })).toBeInTheDocument();
    expect((await main.connections.list()).connections.filter((connection) => connection.signIn.method === 'local-sandbox')).toHaveLength(1);
  });
});
