import { Anchor, Checkbox, Paper, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useBackLink } from './back-link';
import { BreakableText } from '../components/BreakableText';
import type { ClinicianRow } from '../../../preload/api/schemas/enrollment';
import { ClinicBadges } from '../components/ClinicBadges';
import { SortableTh, useSortedRows } from '../components/SortableTh';

type ClinicianColumn = 'name' | 'npi' | 'email' | 'clinics';

function clinicianSortValue(clinician: ClinicianRow, column: ClinicianColumn): string | number {
  if (column === 'npi') return clinician.npi ?? '';
  if (column === 'email') return clinician.email ?? '';
  if (column === 'clinics') return clinician.clinics.length;
  return clinician.name.replace(/^Dr\.?\s+/i, '').split(' ').reverse().join(' ');
}

/**
 * Clinicians by name, with NPI and email beside, and their clinics as badges; `action` adds a
 * last column (e.g. Unenroll on a clinic's page).
 */
export function ClinicianTable({
  clinicians,
  dense = false,
  busy = false,
  action,
  testId = 'clinicians-table',
  fromClinic,
  selection,
}: {
  clinicians: readonly ClinicianRow[];
  dense?: boolean;
  busy?: boolean;
  action?: (clinician: ClinicianRow) => ReactNode;
  testId?: string;
  /** The clinic this list belongs to: the clinician's page then leads back to it. */
  fromClinic?: string | undefined;
  /** Row checkboxes, for changes to many clinicians at once. */
  selection?: { isSelected: (id: string) => boolean; toggle: (id: string) => void; toggleAll: (selected: boolean) => void } | undefined;
}) {
  const from = useBackLink(fromClinic);
  // The server's order (family name) first; a click on a header re-sorts what is loaded.
  const { sorted, sort, toggle } = useSortedRows<ClinicianRow, ClinicianColumn>(clinicians, clinicianSortValue, { key: 'name', descending: false });
  return (
    <Paper withBorder radius="md" style={{ opacity: busy ? 0.6 : 1 }} aria-busy={busy}>
      <Table verticalSpacing={dense ? 3 : 6} fz="sm" highlightOnHover striped={dense} data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            {selection && (
              <Table.Th w={36}>
                <Checkbox
                  aria-label="Select every clinician listed"
                  checked={clinicians.length > 0 && clinicians.every((c) => selection.isSelected(c.practitionerId))}
                  indeterminate={clinicians.some((c) => selection.isSelected(c.practitionerId)) && !clinicians.every((c) => selection.isSelected(c.practitionerId))}
                  onChange={(event) => selection.toggleAll(event.currentTarget.checked)}
                />
              </Table.Th>
            )}
            <SortableTh column="name" sort={sort} onSort={toggle}>
              Name
            </SortableTh>
            <SortableTh column="npi" sort={sort} onSort={toggle}>
              NPI
            </SortableTh>
            <SortableTh column="email" sort={sort} onSort={toggle}>
              Email
            </SortableTh>
            <SortableTh column="clinics" sort={sort} onSort={toggle}>
              Clinics
            </SortableTh>
            {action && <Table.Th />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((clinician) => (
            <Table.Tr key={clinician.practitionerId}>
              {selection && (
                <Table.Td>
                  <Checkbox
                    aria-label={`Select ${clinician.name}`}
                    checked={selection.isSelected(clinician.practitionerId)}
                    onChange={() => selection.toggle(clinician.practitionerId)}
                  />
                </Table.Td>
              )}
              <Table.Td>
                <Anchor component={Link} to={`/clinicians/${clinician.practitionerId}`} state={from} size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
                  {clinician.name}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace" c={clinician.npi ? undefined : 'dimmed'}>
                  {clinician.npi ?? 'None'}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" c={clinician.email ? undefined : 'dimmed'}>
                  {clinician.email ? <BreakableText text={clinician.email} /> : 'None'}
                </Text>
              </Table.Td>
              <Table.Td>
                <ClinicBadges clinics={clinician.clinics} max={dense ? 6 : 4} />
              </Table.Td>
              {action && <Table.Td ta="right">{action(clinician)}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
