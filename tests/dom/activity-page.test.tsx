/**
 * The Activity log names what each entry concerns (the clinic a create made, as a link), says why
 * a failed change failed, and filters by result, record and time, over real handlers and server.
 */
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Root } from '../../renderer/src/Root';
import { unwrapOk } from '../support/envelope';
import { type LocalServer, startTestServer } from '../support/local-server';
import { type SignedInMain, signInMainAsAdmin } from './people/harness';

let server: LocalServer;
let signedIn: SignedInMain;
let clinicId = '';

beforeAll(async () => {
  server = await startTestServer();
  signedIn = await signInMainAsAdmin(server);
  clinicId = unwrapOk(await signedIn.api.createClinic({ name: 'Eastgate Clinic' })).value.id;
  // The same name again: refused, and recorded as failed.
  const refused = await signedIn.api.createClinic({ name: 'eastgate clinic ' });
  expect(refused.ok).toBe(false);
});
afterAll(async () => {
  await server.stop();
});

describe('activity', () => {
  it('links the clinic a create made, says why the failed one failed, and filters', async () => {
    window.location.hash = '#/activity';
    render(<Root api={signedIn.api} />);
    const table = await screen.findByTestId('activity-table', {}, { timeout: 5000 });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    const [failed, created] = rows as [HTMLElement, HTMLElement];
    expect(created).toHaveTextContent('Created a clinic');
    expect(within(created).getAllByRole('link')[0]).toHaveAttribute('href', `#/clinics/${clinicId}`);
    expect(within(failed).getByTestId('failure-reason')).toHaveTextContent('refused: it clashes with something that exists (the name)');

    await userEvent.click(within(screen.getByTestId('activity-filters')).getByRole('textbox', { name: 'Result' }));
    await userEvent.click(await screen.findByRole('option', { name: 'Failed', hidden: true }, { timeout: 3000 }));
    await waitFor(() => expect(within(screen.getByTestId('activity-table')).getAllByRole('row')).toHaveLength(2));
    expect(window.location.hash).toContain('result=failed');

    window.location.hash = `#/activity?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`;
    expect(await screen.findByText('No entry matches these filters.', {}, { timeout: 5000 })).toBeInTheDocument();
  });
});
