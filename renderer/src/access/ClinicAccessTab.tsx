import { Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useApi } from '../api/api-context';
import { useApiQuery } from '../api/use-api-query';
import { RecordLink } from '../audit/record-link';
import { MembershipName } from './MembershipName';
import { LoadError } from '../components/LoadError';
import { TableSkeleton } from '../components/TableSkeleton';
import { EmptyState } from '../people/EmptyState';
import { formatCount } from '../people/sentences';

/** A clinic's effective access: which clinicians see its patients, and the patients they see. */
export function ClinicAccessTab({ clinicId }: { clinicId: string }) {
  const api = useApi();
  const access = useApiQuery(() => api.getClinicAccess({ clinicId }), [api, clinicId]);
  const view = access.data;
  if (!view) return access.error ? <LoadError query={access} title="Could not work out who can see this clinic's patients" /> : <TableSkeleton rows={5} />;
  const clinicians = view.clinicians.length === 1 ? '1 clinician' : `${formatCount(view.clinicians.length)} clinicians`;
  const patients = view.patientCount === 1 ? '1 patient' : `${formatCount(view.patientCount)} patients`;
  return (
    <Stack gap="md" style={{ opacity: access.stale ? 0.55 : 1 }} data-testid="clinic-access">
      <LoadError query={access} title="Could not work out who can see this clinic's patients again" />
      <Text size="sm" data-testid="clinic-access-sentence">
        {view.clinicians.length === 0
          ? `No clinician is enrolled in ${view.clinic.label}, so nobody sees its ${patients}.`
          : `${clinicians} can see the ${patients} of ${view.clinic.label}${view.active ? '' : ' (the clinic is inactive)'}.`}
      </Text>
      {view.clinicians.length === 0 && view.patientCount === 0 ? (
        <EmptyState message="No clinicians and no patients in this clinic yet. Enroll them from the Patients and Clinicians tabs, or import a roster." />
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          {/* Each list as tall as it is: a short list of clinicians leaves no empty box beside the patients. */}
          <Paper withBorder radius="md" p="md" style={{ alignSelf: 'start' }}>
            <Stack gap="xs">
              <Title order={4}>Clinicians who can see these patients ({formatCount(view.clinicians.length)})</Title>
              {view.clinicians.length === 0 ? (
                <Text size="sm" c="dimmed">
                  None yet.
                </Text>
              ) : (
                <Table fz="sm" verticalSpacing={4} data-testid="clinic-access-clinicians">
                  <Table.Tbody>
                    {view.clinicians.map((entry) => (
                      <Table.Tr key={entry.membershipId}>
                        <Table.Td>
                          <MembershipName practitioner={entry.practitioner} label={entry.label} />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Stack>
          </Paper>
          <Paper withBorder radius="md" p="md">
            <Stack gap="xs">
              <Title order={4}>Patients they see ({formatCount(view.patientCount)})</Title>
              {view.patients.length === 0 ? (
                <Text size="sm" c="dimmed">
                  None yet.
                </Text>
              ) : (
                <>
                  <Paper mah={360} style={{ overflowY: 'auto' }}>
                    <Table fz="sm" verticalSpacing={4} striped data-testid="clinic-access-patients">
                      <Table.Tbody>
                        {view.patients.map((patient) => (
                          <Table.Tr key={patient.reference}>
                            <Table.Td>
                              <RecordLink record={patient} />
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Paper>
                  {view.patientCount > view.patients.length && (
                    <Text size="sm" c="dimmed">
                      The {formatCount(view.patients.length)} most recently changed of {patients}; the Patients tab lists them all.
                    </Text>
                  )}
                </>
              )}
            </Stack>
          </Paper>
        </SimpleGrid>
      )}
    </Stack>
  );
}
