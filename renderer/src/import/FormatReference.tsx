import { Code, Paper, SimpleGrid, Stack, Table, Text } from '@mantine/core';
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

/** How to prepare a roster file: the format the wizard and `mso-admin` read. */
export function FormatReference() {
  return (
    <Stack gap="md">
      <Text size="sm">
        Files are UTF-8 CSV with a header line; commas, semicolons or tabs all work. Column names ignore case, spaces
        and dashes. A file with <Code>mrn</Code> is a patient roster; one with <Code>email</Code> or <Code>npi</Code>
        and no <Code>mrn</Code> is a clinician roster. A column with another name can be matched to one of these in the
        wizard.
      </Text>
      <Text size="sm">
        IT can check a file offline by the same rules with <Code>mso-admin validate roster.csv</Code>, and import it
        with <Code>mso-admin import roster.csv --connection "Name"</Code> (docs/import.md).
      </Text>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <ColumnTable title="Patient roster" columns={PATIENT_COLUMNS} />
        <ColumnTable title="Clinician roster" columns={PRACTITIONER_COLUMNS} />
      </SimpleGrid>
    </Stack>
  );
}
