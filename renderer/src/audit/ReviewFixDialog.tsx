import { Button, Group, List, Modal, Paper, Stack, Table, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import type { AuditFinding, AuditReport } from '../../../preload/api/schemas/audit';
import { useApi } from '../api/api-context';
import { useApiQuery } from '../api/use-api-query';
import { ErrorNotice } from '../components/ErrorNotice';
import { LoadError } from '../components/LoadError';
import { TableSkeleton } from '../components/TableSkeleton';
import { JobProgressPanel } from '../jobs/JobProgressPanel';
import { useJob } from '../jobs/use-job';
import { formatCount } from '../people/sentences';
import { RecordLink } from './record-link';

/**
 * "Review fix": main says exactly what the repair will write (nothing is written yet); Apply runs
 * it as a job with progress and Cancel; when it ends, `onApplied` runs the audit again and the
 * dialog says whether the finding is gone.
 */
export function ReviewFixDialog({ finding, onClose, onApplied }: { finding: AuditFinding; onClose: () => void; onApplied: () => Promise<AuditReport | null> }) {
  const api = useApi();
  const preview = useApiQuery(() => api.previewRepair({ findingId: finding.id }), [api, finding.id]);
  const job = useJob();
  const running = job.progress?.state === 'running';
  const ended = job.progress !== null && !running;
  const [starting, setStarting] = useState(false);
  const reported = useRef(false);
  const [recheck, setRecheck] = useState<'running' | 'gone' | { left: number } | 'failed' | null>(null);
  useEffect(() => {
    if (!ended || reported.current) return;
    reported.current = true;
    setRecheck('running');
    void onApplied().then((report) => {
      const still = report?.findings.find((found) => found.id === finding.id);
      setRecheck(!report ? 'failed' : still ? { left: still.concernCount } : 'gone');
    });
  }, [ended, onApplied, finding.id]);

  const changes = preview.data;
  const apply = async () => {
    if (!changes) return;
    setStarting(true);
    try {
      await job.start(() => api.applyRepair({ previewId: changes.previewId }));
    } finally {
      setStarting(false);
    }
  };
  const applyLabel = changes ? (changes.changeCount === 1 ? 'Apply the fix to 1 record' : `Apply the fix to ${formatCount(changes.changeCount)} records`) : 'Apply the fix';
  return (
    <Modal opened onClose={onClose} title={changes?.title ?? finding.fix.title} size="lg">
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          {finding.title}
        </Text>
        <LoadError query={preview} title="Could not prepare the fix" />
        {!changes && !preview.error && <TableSkeleton rows={3} />}
        {changes && (
          <Stack gap="sm" data-testid="repair-preview">
            <Text size="sm" fw={600}>
              {job.progress ? 'What the fix writes' : 'What will change'}
            </Text>
            <List size="sm" spacing={4}>
              {changes.sentences.map((sentence) => (
                <List.Item key={sentence}>{sentence}</List.Item>
              ))}
            </List>
            {changes.changes.length > 0 && (
              <Paper withBorder radius="sm" mah={260} style={{ overflowY: 'auto' }} tabIndex={0} role="region" aria-label="Records the fix writes">
                <Table fz="sm" verticalSpacing={4} stickyHeaderOffset={0} data-testid="repair-changes">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Record</Table.Th>
                      <Table.Th>Change</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {changes.changes.map((change) => (
                      <Table.Tr key={change.record.reference}>
                        <Table.Td>
                          <RecordLink record={change.record} />
                        </Table.Td>
                        <Table.Td>{change.change}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Paper>
            )}
            {changes.changeCount > changes.changes.length && (
              <Text size="sm" c="dimmed">
                The first {formatCount(changes.changes.length)} of {formatCount(changes.changeCount)} records are listed; the fix writes them all.
              </Text>
            )}
            {!job.progress && (
              <Text size="sm" c="dimmed">
                Nothing has been written yet. Each change is recorded in the Activity log.
              </Text>
            )}
          </Stack>
        )}
        {job.error && <ErrorNotice error={job.error} title="The fix did not start" />}
        {job.progress && <JobProgressPanel progress={job.progress} onCancel={job.cancel} />}
        {recheck && (
          <Text size="sm" fw={500} data-testid="recheck">
            {recheck === 'running'
              ? 'Running the audit again…'
              : recheck === 'gone'
                ? 'Audited again: this finding is gone.'
                : recheck === 'failed'
                  ? 'The audit could not run again; run it from the page.'
                  : `Audited again: the finding is still listed, for ${formatCount(recheck.left)} ${recheck.left === 1 ? 'record' : 'records'}.`}
          </Text>
        )}
        {/* While the fix runs, the progress panel's Cancel is the only one: it stops the job. */}
        {!running && (
          <Group justify="flex-end" className="dialog-actions">
            {ended ? (
              <Button onClick={onClose}>Close</Button>
            ) : (
              <>
                <Button variant="default" onClick={onClose} data-autofocus>
                  Cancel
                </Button>
                <Button onClick={apply} disabled={!changes || changes.changeCount === 0} loading={starting}>
                  {applyLabel}
                </Button>
              </>
            )}
          </Group>
        )}
      </Stack>
    </Modal>
  );
}
