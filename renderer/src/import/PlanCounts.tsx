import { Paper, SimpleGrid, Text } from '@mantine/core';
import type { ImportPlanView } from '../../../preload/api/schemas/import';

const number = new Intl.NumberFormat('en-US');

/** The dry run's row counts: create, enroll, unenroll, unchanged, errors, warnings. */
export function PlanCounts({ plan }: { plan: ImportPlanView }) {
  const t = plan.totals;
  const cells: [string, number, string?][] = [
    ['to create', t.create, 'teal'],
    ['to enroll', t.enroll, 'blue'],
    ['to unenroll', t.unenroll, 'orange'],
    ['unchanged', t.unchanged],
    ['with errors', t.error, t.error ? 'red' : undefined],
    ['with warnings', t.warning, t.warning ? 'yellow' : undefined],
  ];
  return (
    <SimpleGrid cols={{ base: 3, md: 6 }} spacing="sm" data-testid="plan-counts">
      {cells.map(([label, value, color]) => (
        <Paper key={label} withBorder radius="md" p="sm">
          <Text size="xl" fw={700} c={color}>
            {number.format(value)}
          </Text>
          <Text size="xs" c="dimmed">
            rows {label}
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}
