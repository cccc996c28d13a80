import { Stack, Tabs, Text, Title } from '@mantine/core';
import { RequireSession } from '../components/RequireSession';
import { FormatReference } from '../import/FormatReference';
import { ImportWizard } from '../import/ImportWizard';

/** Import: the roster wizard, and the format it reads. */
export function ImportPage() {
  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Title order={2}>Import</Title>
        <Text c="dimmed" size="sm">
          Bring in a whole clinic roster of patients or clinicians from a CSV file.
        </Text>
      </div>
      <Tabs defaultValue="wizard" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="wizard">Import a roster</Tabs.Tab>
          <Tabs.Tab value="format">Format</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="wizard" pt="md">
          <RequireSession what="the import">{(session) => <ImportWizard session={session} />}</RequireSession>
        </Tabs.Panel>
        <Tabs.Panel value="format" pt="md">
          <FormatReference />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
