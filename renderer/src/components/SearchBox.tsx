import { CloseButton, TextInput } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { useApi } from '../api/api-context';

/** The list's search box; the native menu's Find and Ctrl/Cmd+F or K put the cursor in it. */
export function SearchBox({ value, onChange, label }: { value: string; onChange: (value: string) => void; label: string }) {
  const api = useApi();
  const input = useRef<HTMLInputElement>(null);
  const focus = () => input.current?.focus();

  useEffect(() => api.on.menuCommand(({ command }) => command === 'search' && input.current?.focus()), [api]);
  useHotkeys([
    ['mod+F', focus],
    ['mod+K', focus],
  ]);

  return (
    <TextInput
      ref={input}
      aria-label={label}
      placeholder={label}
      leftSection={<IconSearch size={16} />}
      maxLength={200}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      rightSection={value ? <CloseButton size="sm" aria-label="Clear search" onClick={() => onChange('')} /> : null}
      w={340}
    />
  );
}
