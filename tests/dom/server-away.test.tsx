/**
 * The server stops answering mid-session: what was loaded stays (greyed) under a banner with
 * Retry, no empty state is shown, the header says the connection is reconnecting, and once the
 * server answers again the screen reloads by itself.
 */
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Root } from '../../renderer/src/Root';
import { unwrapOk } from '../support/envelope';
import { createDirectApi, createTestMain } from '../support/ipc';
import { type LocalServer, createPatientInClinics, signInAsAdmin, startTestServer } from '../support/local-server';

let server: LocalServer;
let away = false;
// Main's fetch: while `away`, every request fails as it does when a server is down.
const switchableFetch: typeof fetch = (input, init) => (away ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init));

beforeAll(async () => {
  server = await startTestServer();
  const admin = await signInAsAdmin(server);
  await createPatientInClinics(admin, [], 'Stayington');
});
afterAll(async () => {
  await server.stop();
});

describe('the server goes away and comes back', () => {
  it('keeps the loaded patients greyed with a banner, says "Reconnecting", and recovers by itself', async () => {
    const main = createTestMain({ fetch: switchableFetch });
    const api = createDirectApi(main);
    const connection = unwrapOk(
      await api.saveConnection({
        connection: {
          name: 'Flaky server',
          baseUrl: server.baseUrl,
          projectId: server.projectId,
          mrnSystem: 'https://mso.example/mrn',
          isolationMode: 'shared-membership',
          signIn: { method: 'password', email: server.admin.email },
        },
      }),
    );
    unwrapOk(await api.signIn({ connectionId: connection.id, credentials: { method: 'password', email: server.admin.email, password: server.admin.password } }));
    window.location.hash = '#/patients';
    render(<Root api={api} />);
    const table = await screen.findByTestId('patients-table', {}, { timeout: 5000 });
    await within(table).findByText(/Stayington/);
    expect(screen.getByTestId('connection-health')).toHaveTextContent('Connected');

    away = true;
    await userEvent.type(screen.getByRole('textbox', { name: 'Search patients by name or MRN' }), 'Stay');
    const banner = await screen.findByTestId('load-error', {}, { timeout: 5000 });
    expect(banner).toHaveTextContent('could not be reached');
    expect(banner).toHaveTextContent('What is shown below is what was loaded before');
    expect(within(banner).getByRole('button', { name: 'Retry' })).toBeInTheDocument();
    // What was loaded is still there; no "No patients yet" under an error.
    expect(within(screen.getByTestId('patients-table')).getByText(/Stayington/)).toBeInTheDocument();
    expect(screen.queryByTestId('empty-state')).not.toBeInTheDocument();
    expect(screen.getByTestId('connection-health')).toHaveTextContent(/Reconnecting|Offline/);

    away = false;
    await waitFor(() => expect(screen.queryByTestId('load-error')).not.toBeInTheDocument(), { timeout: 15_000 });
    expect(screen.getByTestId('connection-health')).toHaveTextContent('Connected');
    expect(within(screen.getByTestId('patients-table')).getByText(/Stayington/)).toBeInTheDocument();
  }, 40_000);
});
