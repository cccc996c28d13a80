import { Alert, Code, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';

interface Column {
  name: string;
  required: boolean;
  rule: string;
}

// From the roster format contract (shared spec "roster-csv"): what staff need to prepare a file.
const PATIENT_COLUMNS: Column[] = [
  { name: 'mrn', required: true, rule: '1–64 characters, no spaces' },
  { name: 'given_name', required: true, rule: 'also first_name' },
  { name: 'family_name', required: true, rule: 'also last_name, surname' },
  { name: 'birth_date', required: true, rule: 'YYYY-MM-DD or M/D/YYYY' },
  { name: 'clinics', required: true, rule: 'clinic names, separated by ;' },
  { name: 'gender', required: false, rule: 'male, female, other, unknown (or M, F, O, U)' },
  { name: 'action', required: false, rule: 'enroll (default) or unenroll' },
  { name: 'consent', required: false, rule: 'yes, no, or blank' },
];

const PRACTITIONER_COLUMNS: Column[] = [
  { name: 'given_name', required: true, rule: 'also first_name' },
  { name: 'family_name', required: true, rule: 'also last_name, surname' },
  { name: 'email', required: true, rule: 'their sign-in' },
  { name: 'clinics', required: true, rule: 'clinic names, separated by ;' },
  { name: 'npi', required: false, rule: '10 digits with a valid check digit (recommended)' },
  { name: 'action', required: false, rule: 'enroll (default) or unenroll' },
];

function ColumnTable({ title, columns }: { title: string; columns: Column[] }) {
  return (
    <Paper withBorder radius="md" p="md">
      <Text fw={600} mb="xs">
        {title}
      </Text>
      <Table verticalSpacing={4}>
        <Table.Tbody>
          {columns.map((column) => (
            <Table.Tr key={column.name}>
              <Table.Td w={130}>
                <Code>{column.name}</Code>
              </Table.Td>
              <Table.Td w={90}>
                <Text size="xs" c={column.required ? 'red' : 'dimmed'}>
                  {column.required ? 'required' : 'optional'}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{column.rule}</Text>
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
      <Alert color="blue" title="Roster import is not in this version yet">
        Until it arrives, enroll people from each clinic's page. You can already prepare your files: the console will
        check every row and show what it would change before anything is written.
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
