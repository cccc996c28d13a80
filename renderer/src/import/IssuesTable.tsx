import { Badge, Group, SegmentedControl, Table, Text, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { ImportIssueView, ImportRowStatus } from '../../../preload/api/schemas/import';

const STATUS_COLORS: Record<ImportRowStatus, string> = { create: 'teal', enroll: 'blue', unenroll: 'orange', unchanged: 'gray', error: 'red' };
const STATUS_LABELS: Record<ImportRowStatus, string> = { create: 'create', enroll: 'enroll', unenroll: 'unenroll', unchanged: 'unchanged', error: 'error' };
const SHOWN = 200;
const number = new Intl.NumberFormat('en-US');

type Filter = 'errors' | 'warnings' | 'all';

interface Line {
  key: string;
  line: number;
  status: ImportRowStatus | 'warning' | null;
  column: string;
  message: string;
}

function columnOf(issue: ImportIssueView): string {
  return issue.column ? `${issue.columnNumber ?? '?'} (${issue.column})` : '';
}

/** The engine's messages follow "Line 4, column 3 (birth_date): "; alone in a cell they start a sentence. */
function messageOf(issue: ImportIssueView): string {
  const message = issue.message.charAt(0).toUpperCase() + issue.message.slice(1);
  return issue.earlierLine ? `${message} (see line ${issue.earlierLine})` : message;
}

/** The dry run's rows by line: errors, warnings, or every row with its status; and a text filter. */
export function IssuesTable({
  issues,
  rows,
  issuesTotal,
  rowsTotal,
}: {
  issues: readonly ImportIssueView[];
  rows: readonly { line: number; status: ImportRowStatus }[];
  issuesTotal: number;
  rowsTotal: number;
}) {
  const errors = issues.filter((issue) => issue.severity === 'error').length;
  const [filter, setFilter] = useState<Filter>(errors > 0 ? 'errors' : 'warnings');
  const [text, setText] = useState('');

  const lines = useMemo((): Line[] => {
    if (filter !== 'all') {
      return issues
        .filter((issue) => issue.severity === (filter === 'errors' ? 'error' : 'warning'))
        .map((issue, index) => ({ key: `i${index}`, line: issue.line, status: issue.severity === 'error' ? 'error' : 'warning', column: columnOf(issue), message: messageOf(issue) }));
    }
    const byLine = new Map<number, ImportIssueView[]>();
    for (const issue of issues) byLine.set(issue.line, [...(byLine.get(issue.line) ?? []), issue]);
    const header = (byLine.get(1) ?? []).map((issue, index) => ({ key: `h${index}`, line: 1, status: 'warning' as const, column: '', message: messageOf(issue) }));
    return [
      ...header,
      ...rows.map((row) => {
        const found = byLine.get(row.line) ?? [];
        return {
          key: `r${row.line}`,
          line: row.line,
          status: row.status,
          column: found.map(columnOf).filter(Boolean).join(', '),
          message: found.map(messageOf).join(' '),
        };
      }),
    ];
  }, [filter, issues, rows]);

  const needle = text.trim().toLowerCase();
  const matching = needle
    ? lines.filter((line) => String(line.line) === needle || `${line.status ?? ''} ${line.column} ${line.message}`.toLowerCase().includes(needle))
    : lines;
  const warnings = issues.length - errors;
  const cap = filter === 'all' ? rowsTotal > rows.length : issuesTotal > issues.length;

  return (
    <>
      <Group justify="space-between" wrap="wrap">
        <SegmentedControl
          value={filter}
          onChange={(value) => setFilter(value as Filter)}
          data={[
            { value: 'errors', label: `Errors (${number.format(errors)})` },
            { value: 'warnings', label: `Warnings (${number.format(warnings)})` },
            { value: 'all', label: 'All rows' },
          ]}
        />
        <TextInput placeholder="Filter by line, column or message" aria-label="Filter the rows" w={320} value={text} onChange={(event) => setText(event.currentTarget.value)} />
      </Group>
      <Table withTableBorder striped verticalSpacing={4} aria-label="Rows of the dry run" data-testid="import-issues">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={70}>Line</Table.Th>
            <Table.Th w={110}>Status</Table.Th>
            <Table.Th w={170}>Column</Table.Th>
            <Table.Th>What to do</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {matching.slice(0, SHOWN).map((line) => (
            <Table.Tr key={line.key}>
              <Table.Td>{line.line}</Table.Td>
              <Table.Td>
                {line.status && (
                  <Badge size="sm" variant="light" color={line.status === 'warning' ? 'yellow' : STATUS_COLORS[line.status]}>
                    {line.status === 'warning' ? 'warning' : STATUS_LABELS[line.status]}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">{line.column}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{line.message}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
          {matching.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={4}>
                <Text size="sm" c="dimmed">
                  {needle ? 'No row matches the filter.' : filter === 'errors' ? 'No errors: every row can be imported.' : filter === 'warnings' ? 'No warnings.' : 'No rows.'}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
      {(matching.length > SHOWN || cap) && (
        <Text size="xs" c="dimmed">
          Showing {number.format(Math.min(SHOWN, matching.length))} of {number.format(filter === 'all' ? rowsTotal : matching.length)}
          {cap ? ' (the dry run lists the first ones; the error report after the import has them all)' : ''}. Narrow with the filter.
        </Text>
      )}
    </>
  );
}
