import { Text } from '@mantine/core';

const format = new Intl.NumberFormat();

/** "1–50 of 12,430", or "No matches". */
export function RowCount({ offset, shown, total }: { offset: number; shown: number; total: number }) {
  if (total === 0 || shown === 0) {
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
