import { Anchor, Checkbox, Paper, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useBackLink } from './back-link';
import type { PatientRow } from '../../../preload/api/schemas/enrollment';
import type { PatientSort } from '../api/use-paged-search';
import { ClinicBadges } from '../components/ClinicBadges';
import { SortableTh, nextPatientSort, patientSortState } from '../components/SortableTh';

/**
 * Patients by name, with MRN and birth date beside and their clinics as badges; name and birth
 * date sort on the server. `action` adds a last column (e.g. Remove on a clinic's page).
 */
export function PatientTable({
  patients,
  sort,
  onSort,
  action,
  busy = false,
  testId,
  selection,
  fromClinic,
}: {
  patients: readonly PatientRow[];
  sort: PatientSort;
  onSort: (sort: PatientSort) => void;
  action?: ((patient: PatientRow) => ReactNode) | undefined;
  busy?: boolean;
  testId: string;
  /** Row checkboxes, for changes to many patients at once. */
  /** The clinic this list belongs to: the patient's page then leads back to it. */
  fromClinic?: string | undefined;
  selection?: { isSelected: (id: string) => boolean; toggle: (patient: PatientRow) => void; togglePage: (selected: boolean) => void } | undefined;
}) {
  const state = patientSortState(sort);
  const from = useBackLink(fromClinic);
  const sortBy = (column: 'name' | 'birthdate') => onSort(nextPatientSort(sort, column));
  return (
    <Paper withBorder radius="md" style={{ opacity: busy ? 0.6 : 1 }} aria-busy={busy}>
      <Table verticalSpacing={6} highlightOnHover data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            {selection && (
              <Table.Th w={36}>
                <Checkbox
                  aria-label="Select every patient on this page"
                  checked={patients.length > 0 && patients.every((patient) => selection.isSelected(patient.id))}
                  indeterminate={patients.some((patient) => selection.isSelected(patient.id)) && !patients.every((patient) => selection.isSelected(patient.id))}
                  onChange={(event) => selection.togglePage(event.currentTarget.checked)}
                />
              </Table.Th>
            )}
            <SortableTh column="name" sort={state} onSort={sortBy}>
              Name
            </SortableTh>
            <Table.Th>MRN</Table.Th>
            <SortableTh column="birthdate" sort={state} onSort={sortBy}>
              Birth date
            </SortableTh>
            <Table.Th>Clinics</Table.Th>
            {action && <Table.Th />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {patients.map((patient) => (
            <Table.Tr key={patient.id}>
              {selection && (
                <Table.Td>
                  <Checkbox aria-label={`Select ${patient.name}`} checked={selection.isSelected(patient.id)} onChange={() => selection.toggle(patient)} />
                </Table.Td>
              )}
              <Table.Td>
                <Anchor component={Link} to={`/patients/${patient.id}`} state={from} size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
                  {patient.name}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace" c={patient.mrn ? undefined : 'dimmed'} style={{ whiteSpace: 'nowrap' }}>
                  {patient.mrn ?? 'None'}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{patient.birthDate ?? '—'}</Text>
              </Table.Td>
              <Table.Td>
                <ClinicBadges clinics={patient.clinics} max={3} />
              </Table.Td>
              {action && <Table.Td ta="right">{action(patient)}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
