import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import type { ImportRunView } from '../../../preload/api/schemas/import';

const number = new Intl.NumberFormat('en-US');
const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Imports that stopped before their end (quit, crash, cancel): resume them, or let them go. */
export function InterruptedImports({
  imports,
  currentConnectionId,
  onResume,
  onDiscard,
}: {
  imports: readonly ImportRunView[];
  currentConnectionId: string;
  onResume: (run: ImportRunView) => void;
  onDiscard: (run: ImportRunView) => void;
}) {
  if (imports.length === 0) return null;
  return (
    <Stack gap="sm">
      {imports.map((run) => {
        const here = run.connectionId === currentConnectionId;
        return (
          <Alert key={run.importId} color="orange" title="An import did not finish" data-testid="interrupted-import">
            <Stack gap="xs">
              <Text size="sm">
                {run.fileName} ({run.kind === 'patients' ? 'patients' : 'clinicians'}), started {when.format(new Date(run.startedAt))}
                {run.connectionName ? ` on ${run.connectionName}` : ''}: {number.format(run.peopleDone)} done so far. Resuming
                finishes it; nobody is created twice.
              </Text>
              {!here && <Text size="sm">Sign in to {run.connectionName ?? 'its connection'} to resume it.</Text>}
              <Group gap="xs">
                <Button size="xs" onClick={() => onResume(run)} disabled={!here}>
                  Resume
                </Button>
                <Button size="xs" variant="default" onClick={() => onDiscard(run)}>
                  Don’t resume
                </Button>
              </Group>
            </Stack>
          </Alert>
        );
      })}
    </Stack>
  );
}
