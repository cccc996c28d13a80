import { Text } from '@mantine/core';

const format = new Intl.NumberFormat();

/**
 * "1–50 of 12,430" under every list, in the same place; "No matches" only after a search or a
 * filter (an empty list says what to do next instead).
 */
export function RowCount({ offset, shown, total, searched = false }: { offset: number; shown: number; total: number; searched?: boolean }) {
  if (total === 0 || shown === 0) {
    if (!searched) return null;
    return (
      <Text size="sm" c="dimmed">
        No matches
      </Text>
    );
  }
  return (
    <Text size="sm" c="dimmed" data-testid="row-count">
      {format.format(offset + 1)}–{format.format(offset + shown)} of {format.format(total)}
    </Text>
  );
}
