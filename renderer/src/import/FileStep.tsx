import { Button, Group, Paper, Stack, Text } from '@mantine/core';
import { IconFileUpload } from '@tabler/icons-react';
import { type DragEvent, useState } from 'react';
import type { Envelope, IpcError } from '../../../preload/api/contract';
import type { ImportFileView } from '../../../preload/api/schemas/import';
import { useApi } from '../api/api-context';
import { ErrorNotice } from '../components/ErrorNotice';
import { readAsBase64 } from './read-dropped-file';

/** Step 1: "Choose file…" (main's own dialog) or a file dropped on the zone (its bytes go to main). */
export function FileStep({ onFile }: { onFile: (file: ImportFileView) => void }) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);

  const take = async (call: () => Promise<Envelope<ImportFileView | null>>) => {
    setBusy(true);
    setError(null);
    try {
      const result = await call();
      if (!result.ok) setError(result.error);
      else if (result.value) onFile(result.value);
    } finally {
      setBusy(false);
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    const file = event.dataTransfer.files[0];
    if (!file) return;
    void take(async () => {
      try {
        return await api.stageImportFile({ name: file.name, contentBase64: await readAsBase64(file) });
      } catch (reason) {
        return { ok: false, error: { code: 'invalid_argument', message: reason instanceof Error ? reason.message : 'The file could not be read.' } };
      }
    });
  };

  return (
    <Stack gap="md">
      <Paper
        withBorder
        radius="md"
        p="xl"
        data-testid="import-drop-zone"
        onDragOver={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        style={{ borderStyle: 'dashed', borderWidth: 2, background: over ? 'var(--mantine-color-blue-light)' : undefined }}
      >
        <Stack align="center" gap="sm">
          <IconFileUpload size={36} stroke={1.4} aria-hidden />
          <Text fw={600}>Drop a roster file here</Text>
          <Text size="sm" c="dimmed" ta="center" maw={520}>
            A CSV file of patients or clinicians (see Format). Nothing is written until you have seen what the import will
            do and confirmed it.
          </Text>
          <Group>
            <Button onClick={() => void take(() => api.chooseImportFile())} loading={busy}>
              Choose file…
            </Button>
          </Group>
        </Stack>
      </Paper>
      {error && <ErrorNotice error={error} title="That file could not be opened" />}
    </Stack>
  );
}
