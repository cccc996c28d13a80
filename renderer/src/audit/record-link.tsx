import { Anchor, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import type { RecordRef } from '../../../preload/api/schemas/audit';
import { formatCount } from '../people/sentences';

/** The console page of a record, where it has one (patients, clinicians, clinics). */
export function pathOf(reference: string): string | null {
  const [type, id] = reference.split('/');
  if (!id) return null;
  if (type === 'Patient') return `/patients/${id}`;
  if (type === 'Practitioner') return `/clinicians/${id}`;
  if (type === 'Organization') return `/clinics/${id}`;
  return null;
}

/** A record by its name, as a link to its page when it has one. */
export function RecordLink({ record, size = 'sm' }: { record: RecordRef; size?: 'xs' | 'sm' }) {
  const path = pathOf(record.reference);
  if (!path) {
    // A record without a page of its own ("Observation/8dd5… of Vera Abbott") is named by its type;
    // the whole reference stays in the tooltip.
    const shortLabel = record.label.startsWith(record.reference)
      ? `${record.reference.split('/')[0] ?? ''}${record.label.slice(record.reference.length)}`
      : record.label;
    return (
      <Text size={size} span title={record.reference}>
        {shortLabel}
      </Text>
    );
  }
  return (
    <Anchor component={Link} to={path} size={size}>
      {record.label}
    </Anchor>
  );
}

/**
 * The people and records a finding concerns: the first few, then "Show all" for the rest that
 * were listed, and how many more there are beyond the list main sent.
 */
export function RecordList({ records, total, shown = 8, testId }: { records: readonly RecordRef[]; total: number; shown?: number; testId?: string }) {
  const [expanded, setExpanded] = useState(false);
  const visible = expanded ? records : records.slice(0, shown);
  const hiddenHere = records.length - visible.length;
  const beyond = total - records.length;
  return (
    <Group gap={6} wrap="wrap" data-testid={testId}>
      {visible.map((record, index) => (
        <Group key={record.reference} gap={6} wrap="nowrap">
          <RecordLink record={record} />
          {index < visible.length - 1 && (
            <Text size="sm" c="dimmed" span aria-hidden>
              ·
            </Text>
          )}
        </Group>
      ))}
      {hiddenHere > 0 && (
        <Anchor component="button" type="button" size="sm" onClick={() => setExpanded(true)}>
          Show {formatCount(hiddenHere)} more
        </Anchor>
      )}
      {beyond > 0 && (expanded || hiddenHere === 0) && (
        <Text size="sm" c="dimmed" span>
          and {formatCount(beyond)} more, listed in the CSV export
        </Text>
      )}
    </Group>
  );
}
