import { Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useApi } from '../api/api-context';
import { useApiQuery } from '../api/use-api-query';
import { RecordLink } from '../audit/record-link';
import { MembershipName } from './MembershipName';
import { LoadError } from '../components/LoadError';
import { TableSkeleton } from '../components/TableSkeleton';
import { formatCount, listNames } from '../people/sentences';

/** Who can see a patient: their clinics, and the clinicians those clinics give sight of the records. */
export function PatientAccessSection({ patientId, name, reloadKey }: { patientId: string; name: string; reloadKey: unknown }) {
  const api = useApi();
  const access = useApiQuery(() => api.getPatientAccess({ patientId }), [api, patientId, reloadKey]);
  const view = access.data;
  return (
    <Paper withBorder radius="md" p="md" data-testid="patient-access">
      <Stack gap="sm">
        <Title order={4}>Who can see {name}</Title>
        <LoadError query={access} title="Could not work out who can see this patient" />
        {!view ? (
          !access.error && <TableSkeleton rows={3} />
        ) : (
          <Stack gap="sm" style={{ opacity: access.stale ? 0.55 : 1 }}>
            <Text size="sm" data-testid="patient-clinician-count">
              {view.clinics.length === 0
                ? `${name} belongs to no clinic, so no clinician can see the records.`
                : view.clinicians.length === 0
                  ? `No clinician is enrolled in ${listNames(view.clinics.map((entry) => entry.clinic.label))} yet, so nobody can see the records.`
                  : `${view.clinicians.length === 1 ? '1 clinician' : `${formatCount(view.clinicians.length)} clinicians`} can see ${name}'s records, through ${listNames(view.clinics.map((entry) => entry.clinic.label))}.`}
            </Text>
            {view.clinics.some((entry) => !entry.active) && (
              <Group gap={6}>
                {view.clinics
                  .filter((entry) => !entry.active)
                  .map((entry) => (
                    <Badge key={entry.clinic.reference} color="gray" variant="light" tt="none">
                      {entry.clinic.label} is inactive
                    </Badge>
                  ))}
              </Group>
            )}
            {view.variantNote && (
              <Text size="sm" c="dimmed">
                {view.variantNote}
              </Text>
            )}
            {view.clinicians.length > 0 && (
              <Table fz="sm" verticalSpacing={4} data-testid="patient-clinicians">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Clinician</Table.Th>
                    <Table.Th>Through</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {view.clinicians.map((entry) => (
                    <Table.Tr key={entry.membershipId}>
                      <Table.Td>
                        <MembershipName practitioner={entry.practitioner} label={entry.label} />
                      </Table.Td>
                      <Table.Td>
                        <Group gap={6}>
                          {entry.through.map((through) =>
                            through.reference.startsWith('Organization/') ? (
                              <RecordLink key={through.reference} record={through} />
                            ) : (
                              // Not through a clinic (a membership that sees the whole project): the exposure the audit reports.
                              <Badge key={through.reference} color="red" variant="light" tt="none">
                                Critical: {through.label}
                              </Badge>
                            ),
                          )}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
