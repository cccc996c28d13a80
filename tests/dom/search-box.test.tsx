import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { createApi } from '../../preload/api/create-api';
import { ApiProvider } from '../../renderer/src/api/api-context';
import { SearchBox } from '../../renderer/src/components/SearchBox';

function Harness() {
  const [value, setValue] = useState('');
  return <SearchBox label="Search patients" value={value} onChange={setValue} />;
}

describe('search box', () => {
  it('takes the cursor on the menu’s Find command and on Ctrl+K, and clears', async () => {
    const listeners = new Map<string, (payload: unknown) => void>();
    const api = createApi({ invoke: async () => ({ ok: true, value: null }), subscribe: (channel, listener) => (listeners.set(channel, listener), () => listeners.delete(channel)) });
    render(
      <MantineProvider>
        <ApiProvider api={api}>
          <Harness />
          <button type="button">elsewhere</button>
        </ApiProvider>
      </MantineProvider>,
    );
    const box = screen.getByRole('textbox', { name: 'Search patients' });
    listeners.get('mso:event:menuCommand')?.({ command: 'search' });
    expect(box).toHaveFocus();
    await userEvent.click(screen.getByRole('button', { name: 'elsewhere' }));
    expect(box).not.toHaveFocus();
    await userEvent.keyboard('{Control>}k{/Control}');
    expect(box).toHaveFocus();
    await userEvent.type(box, 'ada');
    await userEvent.click(screen.getByRole('button', { name: 'Clear search' }));
    expect(box).toHaveValue('');
  });
});
