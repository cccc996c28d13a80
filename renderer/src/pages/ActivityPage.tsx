import { Badge, Code, Group, Pagination, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { ResourceBadge } from '@medplum/react';
import { useState } from 'react';
import { useApi } from '../api/api-context';
import { useApiQuery } from '../api/use-api-query';
import { LoadError } from '../components/LoadError';
import { RequireSession } from '../components/RequireSession';
import { RowCount } from '../components/RowCount';
import { TableSkeleton } from '../components/TableSkeleton';

const PAGE_SIZE = 100;

/** What each action code means, in words. Unknown codes are shown as they are. */
const ACTIONS: Record<string, string> = {
  'clinic.create': 'Created a clinic',
  'clinic.rename': 'Renamed a clinic',
  'clinic.deactivate': 'Deactivated a clinic',
  'clinic.reactivate': 'Reactivated a clinic',
  'clinic.add-identifier': 'Added a clinic identifier',
  'clinic.remove-identifier': 'Removed a clinic identifier',
  'clinician.create': 'Invited a clinician',
  'clinician.enroll': 'Enrolled a clinician',
  'clinician.unenroll': 'Unenrolled a clinician',
  'clinician.change-clinics': "Changed a clinician's clinics",
  'patient.create': 'Created a patient',
  'patient.enroll': 'Enrolled a patient',
  'patient.unenroll': 'Unenrolled a patient',
  'patient.move': 'Moved a patient between clinics',
  'patient.consent-grant': 'Recorded consent',
  'patient.consent-revoke': 'Withdrew consent',
  'consent.ensure-universal': 'Set up the universal consent',
  'policy.install': 'Installed the MSO access policy',
  'policy.upgrade': 'Upgraded the MSO access policy',
};

/** People and clinics by their current name, read live from the server (the log keeps references only). */
function TargetBadge({ reference }: { reference: string }) {
  if (/^(Patient|Practitioner|Organization)\/[A-Za-z0-9\-.]+$/.test(reference)) {
    return (
      <Group gap={6} wrap="nowrap">
        <ResourceBadge value={{ reference }} />
      </Group>
    );
  }
  return <Code>{reference}</Code>;
}

const time = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function ActivityPage() {
  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Title order={2}>Activity</Title>
        <Text c="dimmed" size="sm">
          Every change this console made on this connection: who, when, what and the result. The log on this computer
          keeps references only; the names shown here are read from the server.
        </Text>
      </div>
      <RequireSession what="its activity">{() => <ActivityTable />}</RequireSession>
    </Stack>
  );
}

function ActivityTable() {
  const api = useApi();
  const [page, setPage] = useState(1);
  const offset = (page - 1) * PAGE_SIZE;
  const activity = useApiQuery(() => api.listActivity({ offset, count: PAGE_SIZE }), [api, offset]);
  const entries = activity.data?.entries ?? [];
  const total = activity.data?.total ?? 0;
  return (
    <Stack gap="sm">
      <LoadError query={activity} title="Could not read the activity log" />
      <Paper withBorder radius="md">
        {!activity.data ? (
          !activity.error && <TableSkeleton />
        ) : entries.length === 0 ? (
          <Text p="xl" ta="center" data-testid="empty-state">
            No changes yet. Changes you make in the console will be listed here.
          </Text>
        ) : (
          <Table verticalSpacing={6} data-testid="activity-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={180}>When</Table.Th>
                <Table.Th w={200}>What</Table.Th>
                <Table.Th>Records</Table.Th>
                <Table.Th w={190}>Who</Table.Th>
                <Table.Th w={90}>Result</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((entry, index) => (
                <Table.Tr key={`${entry.time}-${index}`}>
                  <Table.Td>
                    <Text size="sm">{time.format(new Date(entry.time))}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{ACTIONS[entry.action] ?? entry.action}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="wrap">
                      {entry.targets.slice(0, 3).map((target) => (
                        <TargetBadge key={target} reference={target} />
                      ))}
                      {entry.targets.length > 3 && <Text size="xs">+{entry.targets.length - 3}</Text>}
                    </Group>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <TargetBadge reference={entry.actor} />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {entry.result === 'ok' ? (
                      <Badge color="teal" variant="light">
                        Done
                      </Badge>
                    ) : (
                      <Badge color="red" variant="light">
                        Failed
                      </Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      <Group justify="space-between">
        <RowCount offset={offset} shown={entries.length} total={total} />
        {total > PAGE_SIZE && <Pagination size="sm" total={Math.ceil(total / PAGE_SIZE)} value={page} onChange={setPage} />}
      </Group>
    </Stack>
  );
}
