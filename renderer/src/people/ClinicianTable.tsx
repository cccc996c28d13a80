import { Anchor, Paper, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { ClinicianRow } from '../../../preload/api/schemas/enrollment';
import { ClinicBadges } from '../components/ClinicBadges';

/** Clinicians by name, with NPI and email beside, and their clinics as badges. */
export function ClinicianTable({ clinicians, dense = false, busy = false }: { clinicians: readonly ClinicianRow[]; dense?: boolean; busy?: boolean }) {
  return (
    <Paper withBorder radius="md" style={{ opacity: busy ? 0.6 : 1 }} aria-busy={busy}>
      <Table verticalSpacing={dense ? 3 : 6} fz="sm" highlightOnHover striped={dense} data-testid="clinicians-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>NPI</Table.Th>
            <Table.Th>Email</Table.Th>
            <Table.Th>Clinics</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {clinicians.map((clinician) => (
            <Table.Tr key={clinician.practitionerId}>
              <Table.Td>
                <Anchor component={Link} to={`/clinicians/${clinician.practitionerId}`} size="sm" fw={500}>
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
                  {clinician.email ?? 'None'}
                </Text>
              </Table.Td>
              <Table.Td>
                <ClinicBadges clinics={clinician.clinics} max={dense ? 6 : 4} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
