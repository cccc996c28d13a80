import { Checkbox, ScrollArea, Table, Text, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { IpcError } from '../../../preload/api/contract';
import type { ClinicTag } from '../../../preload/api/schemas/enrollment';
import { ClinicBadges } from '../components/ClinicBadges';
import { ErrorNotice } from '../components/ErrorNotice';

export interface ChoosablePerson {
  key: string;
  name: string;
  /** MRN or NPI. */
  identifier: string | null;
  /** What else tells two people of one name apart: a birth date, an email. */
  detail?: string | null;
  clinics: readonly ClinicTag[];
}

/** A search box over a list of people, each with a checkbox; a click anywhere on a row chooses it. */
export function PeopleChooser({
  search,
  onSearch,
  searchLabel,
  placeholder,
  people,
  isChosen,
  onToggle,
  loading,
  error,
  emptyText,
  footer,
}: {
  search: string;
  onSearch: (value: string) => void;
  searchLabel: string;
  placeholder: string;
  people: readonly ChoosablePerson[];
  isChosen: (key: string) => boolean;
  onToggle: (key: string) => void;
  loading: boolean;
  error: IpcError | null;
  emptyText: string;
  /** Under the list: counts, "show more", "select all matching". */
  footer?: ReactNode;
}) {
  return (
    <>
      <TextInput
        placeholder={placeholder}
        leftSection={<IconSearch size={16} />}
        value={search}
        onChange={(event) => onSearch(event.currentTarget.value)}
        data-autofocus
        aria-label={searchLabel}
      />
      <ScrollArea h={260} type="auto">
        {error ? (
          <ErrorNotice error={error} />
        ) : people.length === 0 ? (
          <Text size="sm" c="dimmed" p="sm">
            {loading ? 'Searching…' : emptyText}
          </Text>
        ) : (
          <Table verticalSpacing={4}>
            <Table.Tbody>
              {people.map((person) => (
                <Table.Tr key={person.key} onClick={() => onToggle(person.key)} style={{ cursor: 'pointer' }}>
                  <Table.Td w={32}>
                    <Checkbox
                      checked={isChosen(person.key)}
                      onChange={() => onToggle(person.key)}
                      // The row toggles too: keep a click on the box from counting twice.
                      onClick={(event) => event.stopPropagation()}
                      aria-label={`Choose ${person.name}`}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {person.name}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                      {person.identifier ?? '—'}
                    </Text>
                  </Table.Td>
                  {person.detail !== undefined && (
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {person.detail ?? '—'}
                      </Text>
                    </Table.Td>
                  )}
                  <Table.Td>
                    <ClinicBadges clinics={person.clinics} max={2} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </ScrollArea>
      {footer}
    </>
  );
}
