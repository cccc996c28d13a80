import { Group, Table, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronUp, IconSelector } from '@tabler/icons-react';
import { useMemo, useState, type ReactNode } from 'react';

export interface SortState<K extends string> {
  key: K;
  descending: boolean;
}

/** Client-side sorting of a loaded list by the column the administrator clicked. */
export function useSortedRows<T, K extends string>(rows: readonly T[], valueOf: (row: T, key: K) => string | number, initial: SortState<K>) {
  const [sort, setSort] = useState<SortState<K>>(initial);
  const sorted = useMemo(() => {
    const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
    const copy = [...rows];
    copy.sort((a, b) => {
      const left = valueOf(a, sort.key);
      const right = valueOf(b, sort.key);
      const order = typeof left === 'number' && typeof right === 'number' ? left - right : collator.compare(String(left), String(right));
      return sort.descending ? -order : order;
    });
    return copy;
  }, [rows, sort, valueOf]);
  const toggle = (key: K) => setSort((current) => ({ key, descending: current.key === key ? !current.descending : false }));
  return { sorted, sort, toggle };
}

/** A column header that sorts the table, with aria-sort for screen readers. */
export function SortableTh<K extends string>({
  column,
  sort,
  onSort,
  children,
  align = 'left',
}: {
  column: K;
  sort: SortState<K>;
  onSort: (column: K) => void;
  children: ReactNode;
  align?: 'left' | 'right';
}) {
  const active = sort.key === column;
  const Icon = !active ? IconSelector : sort.descending ? IconChevronDown : IconChevronUp;
  return (
    <Table.Th aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'} ta={align}>
      <UnstyledButton onClick={() => onSort(column)} w="100%">
        <Group gap={4} justify={align === 'right' ? 'flex-end' : 'flex-start'} wrap="nowrap">
          <Text fw={700} size="sm">
            {children}
          </Text>
          <Icon size={14} stroke={1.6} opacity={active ? 1 : 0.5} />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}

/** The server-side sort of a patient list as the header state, and back. */
export function patientSortState(sort: string): SortState<'name' | 'birthdate'> {
  return { key: sort.replace('-', '') === 'birthdate' ? 'birthdate' : 'name', descending: sort.startsWith('-') };
}

export function nextPatientSort(current: string, column: 'name' | 'birthdate'): 'name' | '-name' | 'birthdate' | '-birthdate' {
  const state = patientSortState(current);
  const descending = state.key === column ? !state.descending : false;
  return descending ? (`-${column}` as const) : column;
}
