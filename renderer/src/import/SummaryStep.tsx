import { Alert, Anchor, Button, Group, List, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { ImportRunView } from '../../../preload/api/schemas/import';
import { useApi } from '../api/api-context';

const number = new Intl.NumberFormat('en-US');
const rows = (count: number) => `${number.format(count)} ${count === 1 ? 'row' : 'rows'}`;

/** The end of an import: what was done, the rows that were not, and "Save error report". */
export function SummaryStep({ run, onDone, onResume }: { run: ImportRunView; onDone: () => void; onResume: () => void }) {
  const api = useApi();
  const [saving, setSaving] = useState(false);
  const result = run.result;
  const noun = run.kind === 'patients' ? 'patients' : 'clinicians';

  const save = async () => {
    setSaving(true);
    try {
      const saved = await api.saveImportErrorReport({ importId: run.importId });
      if (!saved.ok) notifications.show({ color: 'red', title: 'The error report was not saved', message: saved.error.message });
      else if (saved.value.saved) notifications.show({ color: 'teal', title: 'Error report saved', message: `${rows(saved.value.rows)}, each with its line and what to fix.` });
    } finally {
      setSaving(false);
    }
  };

  if (!result) {
    return (
      <Stack gap="md">
        <Alert color="red" title="The import stopped before the end" role="alert">
          {run.failure ?? 'The import stopped with an error.'} What was done stays done; resuming finishes the rest.
        </Alert>
        <Group>
          <Button onClick={onResume}>Resume the import</Button>
          <Button variant="default" onClick={onDone}>
            Close
          </Button>
        </Group>
      </Stack>
    );
  }
  const color = result.cancelled ? 'orange' : result.failed ? 'yellow' : 'teal';
  const title = result.cancelled ? 'Import stopped on request' : result.failed || result.skipped ? 'Import finished, with rows left out' : 'Import finished';
  return (
    <Stack gap="md" data-testid="import-summary">
      <Alert color={color} title={title}>
        <Stack gap={4}>
          <Text size="sm">
            {number.format(result.created)} {noun} created, {number.format(result.changed)} changed
            {result.clinicsCreated ? `, ${number.format(result.clinicsCreated)} ${result.clinicsCreated === 1 ? 'clinic' : 'clinics'} created` : ''}.
          </Text>
          {result.skipped > 0 && <Text size="sm">{rows(result.skipped)} with errors {result.skipped === 1 ? 'was' : 'were'} skipped.</Text>}
          {result.failed > 0 && <Text size="sm">The server refused the changes of {number.format(result.failed)} {noun}; the error report says why.</Text>}
          {result.cancelled && <Text size="sm">What was done stays done. Resume to finish the rest.</Text>}
          <Text size="sm">
            <Anchor href="#/activity">See the Activity entry</Anchor>
          </Text>
        </Stack>
      </Alert>
      {result.failedRows.length > 0 && (
        <List size="sm" spacing={2}>
          {result.failedRows.slice(0, 20).map((failure) => (
            <List.Item key={failure.lines.join(',')}>
              Line {failure.lines.join(', ')}: {failure.message}
            </List.Item>
          ))}
        </List>
      )}
      <Group>
        {result.reportRows > 0 && (
          <Button onClick={() => void save()} loading={saving}>
            Save error report ({rows(result.reportRows)})
          </Button>
        )}
        {result.cancelled && <Button onClick={onResume}>Resume the import</Button>}
        <Button variant="default" onClick={onDone}>
          Import another file
        </Button>
      </Group>
    </Stack>
  );
}

