import { Badge, Button, Group, List, Paper, Stack, Text } from '@mantine/core';
import { IconTool } from '@tabler/icons-react';
import type { AuditFinding } from '../../../preload/api/schemas/audit';
import { RecordList } from './record-link';
import { SEVERITY } from './severity';

/**
 * One finding: what is unsafe and why, who and what it concerns, and its fix: "Review fix" when
 * the console can repair it (nothing is written before the preview), or the steps a person takes.
 */
export function FindingCard({ finding, canRepair, onReviewFix }: { finding: AuditFinding; canRepair: boolean; onReviewFix: (finding: AuditFinding) => void }) {
  const severity = SEVERITY[finding.severity];
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      data-testid="finding"
      data-finding-id={finding.id}
      style={{ borderLeft: `4px solid var(--mantine-color-${severity.color}-filled)` }}
    >
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
          <Group gap="sm" wrap="nowrap" align="flex-start" miw={0}>
            <Badge color={severity.color} variant="light" style={{ flexShrink: 0 }}>
              {severity.label}
            </Badge>
            <Text fw={600} size="sm" miw={0}>
              {finding.title}
            </Text>
          </Group>
          {finding.fix.repair && canRepair && (
            <Button size="xs" variant="light" leftSection={<IconTool size={14} />} onClick={() => onReviewFix(finding)} style={{ flexShrink: 0 }}>
              Review fix
            </Button>
          )}
        </Group>
        <Text size="sm">{finding.explanation}</Text>
        {finding.concernCount > 0 && (
          <Stack gap={2}>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              Concerns {finding.concernCount === 1 ? '1 record' : `${finding.concernCount.toLocaleString()} records`}
            </Text>
            <RecordList records={finding.concerns} total={finding.concernCount} testId="finding-concerns" />
          </Stack>
        )}
        <Stack gap={2}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Fix
          </Text>
          <Text size="sm">
            <Text span fw={500} size="sm">
              {finding.fix.title}:
            </Text>{' '}
            {finding.fix.explains}
          </Text>
          {finding.fix.steps.length > 0 && (
            <List type="ordered" size="sm" spacing={2}>
              {finding.fix.steps.map((step) => (
                <List.Item key={step}>{step}</List.Item>
              ))}
            </List>
          )}
          {finding.fix.repair && !canRepair && (
            <Text size="sm" c="dimmed">
              A project administrator can apply this fix from here.
            </Text>
          )}
        </Stack>
      </Stack>
    </Paper>
  );
}
