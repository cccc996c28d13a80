import { Group, Text } from '@mantine/core';
import type { RecordRef } from '../../../preload/api/schemas/audit';
import { RecordLink } from '../audit/record-link';

/** A clinician by name (a link to their page), with the membership's label when it has one. */
export function MembershipName({ practitioner, label }: { practitioner: RecordRef; label: string | null }) {
  return (
    <Group gap={6}>
      <RecordLink record={practitioner} />
      {label && (
        <Text size="xs" c="dimmed">
          ({label})
        </Text>
      )}
    </Group>
  );
}
