import { ActionIcon, TextInput, type TextInputProps } from '@mantine/core';
import { IconCalendar } from '@tabler/icons-react';
import { useRef } from 'react';

/**
 * A birth date typed as YYYY-MM-DD or M/D/YYYY (as roster files write it), or picked from the
 * system's date picker.
 */
export function BirthDateInput(props: TextInputProps & { value?: string; onChange?: (value: unknown) => void }) {
  const picker = useRef<HTMLInputElement>(null);
  const { onChange } = props;
  return (
    <TextInput
      label="Birth date"
      description="YYYY-MM-DD or M/D/YYYY"
      withAsterisk
      {...props}
      rightSection={
        <>
          <ActionIcon variant="subtle" color="gray" size={28} aria-label="Pick the birth date" onClick={() => picker.current?.showPicker?.()}>
            <IconCalendar size={16} />
          </ActionIcon>
          <input
            ref={picker}
            type="date"
            tabIndex={-1}
            aria-hidden="true"
            min="1900-01-01"
            max={new Date().toISOString().slice(0, 10)}
            style={{ position: 'absolute', width: 1, height: 1, opacity: 0, pointerEvents: 'none' }}
            onChange={(event) => onChange?.(event.currentTarget.value)}
          />
        </>
      }
    />
  );
}
