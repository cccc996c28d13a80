import { Alert, Code, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { PATIENT_COLUMNS, PRACTITIONER_COLUMNS, type RosterColumn } from '../../../preload/api/roster/columns';

// The same column definitions the import engine reads files with (shared spec "roster-csv").
function ColumnTable({ title, columns }: { title: string; columns: readonly RosterColumn[] }) {
  return (
    <Paper withBorder radius="md" p="md">
      <Text fw={600} mb="xs">
        {title}
      </Text>
      <Table verticalSpacing={4}>
        <Table.Tbody>
          {columns.map((column) => (
            <Table.Tr key={column.key}>
              <Table.Td w={130}>
                <Code>{column.key}</Code>
              </Table.Td>
              <Table.Td w={110}>
                <Text size="xs" c={column.required ? 'red' : 'dimmed'}>
                  {column.required ? 'required' : column.recommended ? 'recommended' : 'optional'}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{column.rule}</Text>
                {column.aliases.length > 0 && (
                  <Text size="xs" c="dimmed">
                    Also: {column.aliases.join(', ')}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

/** How to prepare a roster file; the import wizard itself comes with the roster import feature. */
export function ImportPage() {
  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Title order={2}>Import</Title>
        <Text c="dimmed" size="sm">
          Bring in a whole clinic roster of patients or clinicians from a CSV file.
        </Text>
      </div>
      <Alert color="blue" title="In this version, rosters are imported from the command line">
        The import wizard in this window comes next. Until then, <Code>mso-admin validate roster.csv</Code> checks a
        file offline by the same rules (every problem by line and column), and{' '}
        <Code>mso-admin import roster.csv --connection "Name"</Code> imports it with this computer's saved sign-in for
        that connection: it first says what each row will do, then writes, and finishes when run again after an
        interruption. Single people can be enrolled from each clinic's page.
      </Alert>
      <Text size="sm">
        Files are UTF-8 CSV with a header line; commas, semicolons or tabs all work. Column names ignore case, spaces
        and dashes. A file with <Code>mrn</Code> is a patient roster; one with <Code>email</Code> or <Code>npi</Code>
        and no <Code>mrn</Code> is a clinician roster.
      </Text>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <ColumnTable title="Patient roster" columns={PATIENT_COLUMNS} />
        <ColumnTable title="Clinician roster" columns={PRACTITIONER_COLUMNS} />
      </SimpleGrid>
    </Stack>
  );
}
