import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ErrorBoundary } from '../../renderer/src/components/ErrorBoundary';

function Crashing(): never {
  throw new Error('patient Jane Doe MRN 12345');
}

describe('error boundary', () => {
  it('replaces a crashed screen with a way back and shows none of the error text', () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    render(
      <MantineProvider>
        <ErrorBoundary>
          <Crashing />
        </ErrorBoundary>
      </MantineProvider>,
    );
    expect(screen.getByText('This screen stopped working')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Reload the screen' })).toBeInTheDocument();
    expect(document.body.textContent).not.toContain('Jane');
    const logged = JSON.stringify(consoleError.mock.calls.filter((call) => call[0] === 'ui.crash'));
    expect(logged).not.toContain('Jane');
    consoleError.mockRestore();
  });
});
