import { Alert, Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconEye } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { MembershipAccess } from '../../../preload/api/schemas/audit';
import { useApi } from '../api/api-context';
import { useApiQuery } from '../api/use-api-query';
import { RecordLink } from '../audit/record-link';
import { LoadError } from '../components/LoadError';
import { TableSkeleton } from '../components/TableSkeleton';
import { formatCount } from '../people/sentences';

function patients(count: number): string {
  return count === 1 ? '1 patient' : `${formatCount(count)} patients`;
}

/**
 * What a clinician can see: per membership (with its label), the clinics it reaches and their
 * patient counts, and anything that makes it wider or narrower than the MSO policy allows.
 * `reloadKey` changes when the page changed the clinician's clinics.
 */
export function ClinicianAccessSection({ practitionerId, name, reloadKey }: { practitionerId: string; name: string; reloadKey: unknown }) {
  const api = useApi();
  const access = useApiQuery(() => api.getClinicianAccess({ practitionerId }), [api, practitionerId, reloadKey]);
  const view = access.data;
  return (
    <Paper withBorder radius="md" p="md" data-testid="clinician-access">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={4}>What {name} can see</Title>
          <Button component={Link} to={`/audit?tab=view-as&clinician=${encodeURIComponent(practitionerId)}`} variant="light" size="xs" leftSection={<IconEye size={14} />}>
            View as {name}
          </Button>
        </Group>
        <LoadError query={access} title="Could not work out what this clinician can see" />
        {!view ? (
          !access.error && <TableSkeleton rows={3} />
        ) : (
          <Stack gap="sm" style={{ opacity: access.stale ? 0.55 : 1 }}>
            <Text size="sm" data-testid="clinician-patient-count">
              {view.memberships.length === 0
                ? `${name} has no sign-in to this project, so they see no patient.`
                : `${name} can see ${patients(view.patientCount)}${view.memberships.length > 1 ? ` through ${view.memberships.length} memberships, one per clinic` : ''}.`}
            </Text>
            {view.variantNote && (
              <Text size="sm" c="dimmed">
                {view.variantNote}
              </Text>
            )}
            {view.memberships.map((membership) => (
              <MembershipBlock key={membership.membershipId} membership={membership} several={view.memberships.length > 1} />
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

function MembershipBlock({ membership, several }: { membership: MembershipAccess; several: boolean }) {
  return (
    <Stack gap={6} data-testid="membership-access">
      {several && (
        <Group gap="xs">
          <Text size="sm" fw={600}>
            {membership.label ? `Membership “${membership.label}”` : 'Membership without a label'}
          </Text>
          <Text size="sm" c="dimmed">
            {patients(membership.patientCount)}
          </Text>
        </Group>
      )}
      <Group gap={6}>
        {membership.admin && (
          <Badge color="orange" variant="light" tt="none">
            Project administrator
          </Badge>
        )}
        {!membership.active && (
          <Badge color="gray" variant="light" tt="none">
            Sign-in inactive
          </Badge>
        )}
      </Group>
      {membership.grantsWholeProject && (
        <Alert color="red" title="Critical: sees the whole project">
          This membership has no access entries and no base policy, so Medplum lets it read and write every patient of the project.
          Run the access audit to give it the MSO base policy.
        </Alert>
      )}
      {!membership.grantsWholeProject && !membership.basePolicyIsMso && (
        <Alert color="orange" title={membership.basePolicy ? `Base policy is ${membership.basePolicy.label}, not the MSO one` : 'No MSO base policy'}>
          If every clinic were removed, this membership would not fall back to seeing no patient.
        </Alert>
      )}
      {membership.clinics.length === 0 ? (
        <Text size="sm" c="dimmed">
          No clinic, so no patient.
        </Text>
      ) : (
        <Table fz="sm" verticalSpacing={4} withRowBorders data-testid="access-clinics">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Clinic</Table.Th>
              <Table.Th ta="right">Patients</Table.Th>
              <Table.Th>Through</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {membership.clinics.map((entry) => (
              <Table.Tr key={entry.clinic.reference}>
                <Table.Td>
                  <Group gap={6}>
                    <RecordLink record={entry.clinic} />
                    {!entry.active && (
                      <Badge color="gray" variant="light" tt="none" size="sm">
                        Inactive clinic
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td ta="right">{formatCount(entry.patientCount)}</Table.Td>
                <Table.Td>
                  {entry.msoPolicy ? (
                    <Text size="sm" c="dimmed">
                      MSO policy
                    </Text>
                  ) : (
                    <Badge color="orange" variant="light" tt="none" size="sm">
                      Another policy
                    </Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
