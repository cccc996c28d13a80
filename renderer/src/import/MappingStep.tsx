import { Alert, Badge, Button, Code, Group, Paper, Select, Stack, Table, Text } from '@mantine/core';
import { type RosterKind, columnsOf } from '../../../preload/api/roster/columns';
import type { ImportFileView, ImportValidationView } from '../../../preload/api/schemas/import';
import { TableSkeleton } from '../components/TableSkeleton';

const KIND_LABELS: Record<RosterKind, string> = { patients: 'Patients', practitioners: 'Clinicians' };
const DELIMITER_LABELS = { comma: 'commas', semicolon: 'semicolons', tab: 'tabs' } as const;
const IGNORE = '__ignore__';
const number = new Intl.NumberFormat('en-US');

/** Step 2: the kind of roster and which column holds what, each with a way to correct it. */
export function MappingStep({
  file,
  validation,
  kind,
  overrides,
  onChange,
  onBack,
  onNext,
}: {
  file: ImportFileView;
  validation: ImportValidationView | null;
  kind: RosterKind | undefined;
  overrides: Record<string, string>;
  onChange: (kind: RosterKind | undefined, overrides: Record<string, string>) => void;
  onBack: () => void;
  onNext: () => void;
}) {
  if (!validation) return <TableSkeleton rows={6} />;
  const shownKind = kind ?? validation.kind ?? undefined;
  const columnOptions = shownKind
    ? [...columnsOf(shownKind).map((column) => ({ value: column.key, label: column.key })), { value: IGNORE, label: 'Ignore this column' }]
    : [];
  const detected = validation.detectedKind ? `detected from the header: ${KIND_LABELS[validation.detectedKind].toLowerCase()}` : 'the header does not say';
  const ready = !validation.fileError && validation.kind !== null;
  return (
    <Stack gap="md">
      <Paper withBorder radius="md" p="md">
        <Group justify="space-between" align="flex-end" wrap="wrap">
          <Stack gap={2}>
            <Text fw={600}>{file.name}</Text>
            <Text size="sm" c="dimmed">
              {number.format(validation.rows)} data rows
              {validation.delimiter ? `, values separated by ${DELIMITER_LABELS[validation.delimiter]}` : ''} ·{' '}
              {number.format(validation.validRows)} valid, {number.format(validation.errorRows)} with errors (checked on this
              computer, nothing sent yet)
            </Text>
          </Stack>
          <Select
            label="Roster of"
            description={detected}
            w={260}
            data={[
              { value: 'patients', label: KIND_LABELS.patients },
              { value: 'practitioners', label: KIND_LABELS.practitioners },
            ]}
            value={shownKind ?? null}
            placeholder="Choose"
            allowDeselect={false}
            onChange={(value) => onChange((value as RosterKind | null) ?? undefined, overrides)}
          />
        </Group>
      </Paper>
      {validation.fileError && (
        <Alert color="red" title="This file cannot be imported as it is" role="alert">
          <Text size="sm">{validation.fileError.message}</Text>
          {validation.kind !== null && (
            <Text size="sm" mt={4}>
              Match a column of the file to the missing column below, or fix the file and choose it again.
            </Text>
          )}
        </Alert>
      )}
      <Table withTableBorder verticalSpacing={6} aria-label="Column mapping">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={90}>Position</Table.Th>
            <Table.Th>In the file</Table.Th>
            <Table.Th w={280}>Read as</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {validation.columns.map((column) => (
            <Table.Tr key={column.position} data-testid={`mapping-${column.position}`}>
              <Table.Td>{column.position}</Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Code>{column.header || '(blank)'}</Code>
                  {column.overridden && (
                    <Badge size="xs" variant="light">
                      your choice
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                {shownKind ? (
                  <Select
                    aria-label={`Read column ${column.position} (${column.header}) as`}
                    size="xs"
                    data={columnOptions}
                    value={column.key ?? IGNORE}
                    allowDeselect={false}
                    onChange={(value) => onChange(kind, { ...overrides, [column.header]: value === IGNORE ? '' : (value ?? '') })}
                  />
                ) : (
                  <Text size="sm" c="dimmed">
                    Choose the kind of roster first
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group justify="space-between">
        <Group>
          <Button variant="default" onClick={onBack}>
            Back
          </Button>
          {(Object.keys(overrides).length > 0 || kind) && (
            <Button variant="subtle" onClick={() => onChange(undefined, {})}>
              Undo my corrections
            </Button>
          )}
        </Group>
        <Button onClick={onNext} disabled={!ready}>
          Check against the server
        </Button>
      </Group>
    </Stack>
  );
}
