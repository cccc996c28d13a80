/**
 * Keyboard and screen-reader basics: a skip link first, focus on the new page after navigation,
 * named close buttons, and confirmations that start on the safe choice.
 */
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { Root } from '../../renderer/src/Root';
import { createDirectApi, createTestMain } from '../support/ipc';

describe('keyboard access', () => {
  it('offers "Skip to content" first in the tab order, and it puts focus on the screen', async () => {
    render(<Root api={createDirectApi(createTestMain())} />);
    await screen.findByRole('heading', { name: 'Clinics', level: 2 });
    const user = userEvent.setup();
    const skip = screen.getByRole('link', { name: 'Skip to content' });
    // First in the tab order: before the header, the navigation and the screen.
    const tabbable = [...document.querySelectorAll('a[href], button:not([disabled]), input:not([disabled]), [tabindex]:not([tabindex="-1"])')];
    expect(tabbable[0]).toBe(skip);
    skip.focus();
    await user.keyboard('{Enter}');
    expect(document.getElementById('main-content')).toHaveFocus();
  });

  it('moves focus to the new screen after navigating, not left on the link', async () => {
    render(<Root api={createDirectApi(createTestMain())} />);
    await screen.findByRole('heading', { name: 'Clinics', level: 2 });
    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    await userEvent.click(within(nav).getByText('Activity'));
    await screen.findByRole('heading', { name: 'Activity', level: 2 });
    await waitFor(() => expect(document.getElementById('main-content')).toHaveFocus());
  });

  it('names the dialog close button, and a confirmation starts on its safe choice', async () => {
    render(<Root api={createDirectApi(createTestMain())} />);
    await userEvent.click(screen.getByRole('button', { name: 'About MSO Admin Console' }));
    const about = await screen.findByRole('dialog');
    expect(within(about).getByRole('button', { name: 'Close dialog' })).toBeInTheDocument();
    await userEvent.click(within(about).getByRole('button', { name: 'Close dialog' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());

    await userEvent.click(within(screen.getByRole('navigation', { name: 'Main navigation' })).getByText('Connections'));
    const row = await screen.findByTestId('connection-row-Local sandbox');
    await userEvent.click(within(row).getByRole('button', { name: 'Remove' }));
    const confirm = await screen.findByRole('dialog');
    await waitFor(() => expect(within(confirm).getByRole('button', { name: 'Keep it' })).toHaveFocus());
    expect(within(confirm).getByRole('button', { name: 'Close dialog' })).not.toHaveFocus();
  });
});
