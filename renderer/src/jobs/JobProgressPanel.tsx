import { Button, Group, Progress, Stack, Text } from '@mantine/core';
import type { JobProgress } from '../../../preload/api/contract';

const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

function timeLeft(seconds: number | null): string | null {
  if (seconds === null) return null;
  if (seconds < 1) return 'almost done';
  if (seconds < 90) return `about ${Math.round(seconds)} s left`;
  return `about ${Math.round(seconds / 60)} min left`;
}

/** A long job's progress: a bar with counts, rate and time left, and Cancel while it runs. */
export function JobProgressPanel({ progress, onCancel }: { progress: JobProgress; onCancel: () => void }) {
  const running = progress.state === 'running';
  const value = progress.total ? (progress.done / progress.total) * 100 : running ? 0 : 100;
  const facts = [
    progress.total !== null ? `${number.format(progress.done)} of ${number.format(progress.total)}` : `${number.format(progress.done)} done`,
    running && progress.ratePerSecond ? `${number.format(progress.ratePerSecond)} per second` : null,
    running ? timeLeft(progress.secondsLeft) : null,
  ].filter(Boolean);
  const color = progress.state === 'failed' ? 'red' : progress.state === 'cancelled' ? 'orange' : progress.state === 'succeeded' ? 'teal' : 'blue';
  return (
    <Stack gap={6} data-testid="job-progress" data-state={progress.state}>
      <Progress value={value} color={color} animated={running} size="lg" aria-label="Progress" />
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm">{facts.join(' · ')}</Text>
        {running && (
          <Button size="compact-sm" variant="default" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </Group>
      <Text size="sm" c={running ? 'dimmed' : undefined} data-testid="job-message">
        {progress.message}
      </Text>
    </Stack>
  );
}
