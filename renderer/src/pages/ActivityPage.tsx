import { ActionIcon, Alert, Anchor, Badge, Button, Code, Group, Pagination, Paper, Select, Stack, Table, Tabs, Text, Title, Tooltip, VisuallyHidden } from '@mantine/core';
import { ResourceName } from '@medplum/react';
import { IconArrowBackUp, IconDownload, IconFilter, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import type { NamedReference, TrailEntry, UndoTarget } from '../../../preload/api/schemas/history';
import { useRouteState } from '../api/use-route-state';
import { useApi } from '../api/api-context';
import { useApiQuery } from '../api/use-api-query';
import { LoadError } from '../components/LoadError';
import { RequireSession } from '../components/RequireSession';
import { RowCount } from '../components/RowCount';
import { TableSkeleton } from '../components/TableSkeleton';
import { RecentChanges } from '../history/RecentChanges';
import { UndoDialog } from '../history/UndoDialog';
import { formatWhen } from '../history/when';
import { formatCount } from '../people/sentences';

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
  'clinician.unenroll': 'Removed a clinician from a clinic',
  'clinician.change-clinics': "Changed a clinician's clinics",
  'clinician.send-invitation': 'Sent an invitation email',
  'patient.create': 'Created a patient',
  'patient.enroll': 'Enrolled a patient',
  'patient.unenroll': 'Removed a patient from a clinic',
  'patient.move': 'Moved a patient between clinics',
  'patient.consent-grant': 'Recorded consent',
  'patient.consent-revoke': 'Withdrew consent',
  'consent.ensure-universal': 'Set up the universal consent',
  'policy.install': 'Installed the MSO access policy',
  'policy.upgrade': 'Upgraded the MSO access policy',
  'import.roster': 'Imported a roster',
};

/** Why a change failed, from the code the log keeps (never the sentence, which may hold names). */
const REASONS: Record<string, string> = {
  conflict: 'refused: it clashes with something that exists',
  invalid_argument: 'refused: what was entered is not valid',
  forbidden: 'refused: this account may not do it',
  not_found: 'the record no longer exists',
  network_error: 'the server could not be reached',
  server_error: 'the server could not do it',
  not_signed_in: 'not signed in',
  cancelled: 'stopped on request',
};
const FIELDS: Record<string, string> = { email: 'email', npi: 'NPI', mrn: 'MRN', name: 'name' };

export function failureReason(detail: Record<string, string | number | boolean>): string {
  const code = typeof detail.error === 'string' ? detail.error : '';
  const field = typeof detail.field === 'string' ? FIELDS[detail.field] : undefined;
  return `${REASONS[code] ?? 'it did not complete'}${field ? ` (the ${field})` : ''}`;
}

const PAGES: Record<string, string> = { Patient: '/patients/', Practitioner: '/clinicians/', Organization: '/clinics/' };

/**
 * A record by its current name, read live from the server (the log keeps references only), as a
 * link to its page; beside it, a filter to this record's entries.
 */
function TargetBadge({ named, onFilter }: { named: NamedReference; onFilter?: (reference: string) => void }) {
  const { reference } = named;
  const [type, id] = reference.split('/');
  const page = type ? PAGES[type] : undefined;
  if (page && id && /^[A-Za-z0-9\-.]+$/.test(id)) {
    return (
      <Group gap={2} wrap="nowrap">
        <Anchor component={Link} to={`${page}${id}`} size="sm" underline="hover">
          {named.display && named.display !== reference ? named.display : <ResourceName value={{ reference }} />}
        </Anchor>
        {onFilter && (
          <Tooltip label="Only this record's entries">
            <ActionIcon size={24} variant="subtle" color="gray" aria-label={`Only entries about ${reference}`} onClick={() => onFilter(reference)}>
              <IconFilter size={14} />
            </ActionIcon>
          </Tooltip>
        )}
      </Group>
    );
  }
  return named.display && named.display !== reference ? <Text size="sm">{named.display}</Text> : <Code>{reference}</Code>;
}

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The entries shown, as a CSV file the administrator saves (references, not names: as the log keeps them). */
function downloadCsv(entries: readonly TrailEntry[]): void {
  const lines = [
    ['time', 'action', 'what', 'records', 'who', 'result', 'reason', 'sent'].join(','),
    ...entries.map((entry) =>
      [
        entry.time,
        entry.action,
        ACTIONS[entry.action] ?? entry.action,
        entry.records.map((record) => record.reference).join(' '),
        entry.actor.reference,
        entry.result,
        entry.result === 'failed' ? failureReason(entry.detail) : '',
        entry.pending ? 'not yet' : 'yes',
      ]
        .map(csvCell)
        .join(','),
    ),
  ];
  const url = URL.createObjectURL(new Blob([`${lines.join('\n')}\n`], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = 'activity.csv';
  link.click();
  URL.revokeObjectURL(url);
}

export function ActivityPage() {
  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Title order={2}>Activity</Title>
        <Text c="dimmed" size="sm">
          Who changed which access, and when: every administrator's changes made in the console (the trail kept on the
          server, with this computer's not yet sent), and the changes read from the records themselves, whichever tool made
          them. Enrollment changes can be undone from here.
        </Text>
      </div>
      <RequireSession what="its activity">{(session) => <ActivityViews canUndo={session.isProjectAdmin} />}</RequireSession>
    </Stack>
  );
}

/** The console's trail, or the changes read from the records themselves (whatever tool made them). */
function ActivityViews({ canUndo }: { canUndo: boolean }) {
  const [view, setView] = useRouteState('view', 'trail');
  return (
    <Tabs value={view === 'records' ? 'records' : 'trail'} onChange={(value) => setView(value ?? 'trail')} keepMounted={false}>
      <Tabs.List>
        <Tabs.Tab value="trail">Changes made in the console</Tabs.Tab>
        <Tabs.Tab value="records">Changes on the records</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="trail" pt="md">
        <ActivityTable canUndo={canUndo} />
      </Tabs.Panel>
      <Tabs.Panel value="records" pt="md">
        <RecentChanges canUndo={canUndo} />
      </Tabs.Panel>
    </Tabs>
  );
}

function ActivityTable({ canUndo }: { canUndo: boolean }) {
  const api = useApi();
  // Filters live in the route: "See Activity" after a change opens ?since=<when it started>.
  const [pageText, setPageText] = useRouteState('page', '1');
  const page = Math.max(1, Number.parseInt(pageText, 10) || 1);
  const [action, setAction] = useRouteState('action', '');
  const [result, setResult] = useRouteState('result', '');
  const [record, setRecord] = useRouteState('record', '');
  const [since, setSince] = useRouteState('since', '');
  const offset = (page - 1) * PAGE_SIZE;
  const [undoing, setUndoing] = useState<UndoTarget | null>(null);
  const activity = useApiQuery(
    () =>
      api.listTrail({
        offset,
        count: PAGE_SIZE,
        ...(action ? { action } : {}),
        ...(result === 'ok' || result === 'failed' ? { result } : {}),
        ...(record ? { record } : {}),
        ...(since ? { since } : {}),
      }),
    [api, offset, action, result, record, since],
  );
  const filtered = Boolean(action || result || record || since);
  const entries = activity.data?.entries ?? [];
  const total = activity.data?.total ?? 0;
  const pending = activity.data?.pending ?? 0;
  return (
    <Stack gap="sm">
      <Group gap="sm" align="flex-end" data-testid="activity-filters">
        <Select
          label="Action"
          placeholder="Every action"
          clearable
          data={Object.entries(ACTIONS).map(([value, label]) => ({ value, label }))}
          value={action || null}
          onChange={(value) => setAction(value ?? '')}
          w={260}
        />
        <Select
          label="Result"
          placeholder="Done or failed"
          clearable
          data={[
            { value: 'ok', label: 'Done' },
            { value: 'failed', label: 'Failed' },
          ]}
          value={result || null}
          onChange={(value) => setResult(value ?? '')}
          w={170}
        />
        {record && (
          <Button variant="light" size="sm" rightSection={<IconX size={14} />} onClick={() => setRecord('')}>
            Record: {record}
          </Button>
        )}
        {since && (
          <Button variant="light" size="sm" rightSection={<IconX size={14} />} onClick={() => setSince('')}>
            Since {formatWhen(since)}
          </Button>
        )}
        <Button variant="default" size="sm" leftSection={<IconDownload size={14} />} disabled={entries.length === 0} onClick={() => downloadCsv(entries)}>
          Export CSV
        </Button>
      </Group>
      <LoadError query={activity} title="Could not read the activity log" />
      {activity.data && !activity.data.serverReachable && (
        <Alert color="orange" title="Only this computer's changes are shown" data-testid="trail-local-only">
          The server's shared trail could not be read, so other administrators' changes are missing. The list fills in once
          the server answers.
        </Alert>
      )}
      {pending > 0 && (
        <Text size="sm" c="dimmed" data-testid="trail-pending">
          {pending === 1 ? '1 change' : `${formatCount(pending)} changes`} made here {pending === 1 ? 'is' : 'are'} not yet on the
          server's trail; the console sends {pending === 1 ? 'it' : 'them'} as soon as the server answers.
        </Text>
      )}
      <Paper withBorder radius="md">
        {!activity.data ? (
          !activity.error && <TableSkeleton />
        ) : entries.length === 0 ? (
          <Text p="xl" ta="center" data-testid="empty-state">
            {filtered ? 'No entry matches these filters.' : 'No changes yet. Changes any administrator makes in the console are listed here.'}
          </Text>
        ) : (
          <Table verticalSpacing={6} data-testid="activity-table">
            <Table.Thead>
              <Table.Tr>
                {/* Records keeps room for a name at 1024 px; the other columns take what their words need. */}
                <Table.Th w={120}>When</Table.Th>
                <Table.Th w={170}>What</Table.Th>
                <Table.Th miw={200}>Records</Table.Th>
                <Table.Th w={150}>Who</Table.Th>
                <Table.Th w={120}>Result</Table.Th>
                <Table.Th w={100}>
                  <VisuallyHidden>Undo</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((entry) => (
                <Table.Tr key={entry.id} data-pending={entry.pending || undefined}>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {formatWhen(entry.time)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{ACTIONS[entry.action] ?? entry.action}</Text>
                    {entry.undoes && (
                      <Text size="xs" c="dimmed" data-testid="undo-of">
                        an undo of an earlier change
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="wrap">
                      {entry.records.slice(0, 3).map((target) => (
                        <TargetBadge key={target.reference} named={target} onFilter={setRecord} />
                      ))}
                      {entry.records.length > 3 && <Text size="xs">+{entry.records.length - 3}</Text>}
                    </Group>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <TargetBadge named={entry.actor} />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {entry.result === 'ok' ? (
                      <Badge color="teal" variant="light">
                        Done
                      </Badge>
                    ) : (
                      <Stack gap={2}>
                        <Badge color="red" variant="light">
                          Failed
                        </Badge>
                        <Text size="xs" c="dimmed" style={{ whiteSpace: 'normal' }} data-testid="failure-reason">
                          {failureReason(entry.detail)}
                        </Text>
                      </Stack>
                    )}
                    {entry.pending && (
                      // Under the result, so it never runs into the Undo column.
                      <Badge mt={4} display="block" color="orange" variant="light" tt="none" data-testid="not-yet-sent">
                        Not yet sent
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {/* An import's entry: its rows are undone as a job; the preview says how many are left to undo. */}
                    {canUndo && (entry.undoable || entry.importId) && (
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        leftSection={<IconArrowBackUp size={14} />}
                        aria-label={`Undo: ${entry.sentence}`}
                        onClick={() => setUndoing(entry.importId ? { importId: entry.importId } : { trailId: entry.id })}
                      >
                        {entry.importId ? 'Undo import' : 'Undo'}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      <Group justify="space-between">
        <RowCount offset={offset} shown={entries.length} total={total} searched={filtered} />
        {total > PAGE_SIZE && <Pagination size="sm" total={Math.ceil(total / PAGE_SIZE)} value={page} onChange={(value) => setPageText(String(value))} />}
      </Group>
      <UndoDialog target={undoing} onClose={() => setUndoing(null)} onDone={activity.reload} />
    </Stack>
  );
}
