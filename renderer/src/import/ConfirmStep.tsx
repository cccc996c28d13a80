import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import type { IpcError } from '../../../preload/api/contract';
import type { ImportOptionsInput, ImportPlanView } from '../../../preload/api/schemas/import';
import { ErrorNotice } from '../components/ErrorNotice';
import { TableSkeleton } from '../components/TableSkeleton';
import { describeEstimate, describePlan } from './describe-plan';
import { PlanCounts } from './PlanCounts';

/** Step 5: the plan with the chosen options, in words, and the one button that writes. */
export function ConfirmStep({
  plan,
  options,
  starting,
  error,
  onBack,
  onStart,
}: {
  plan: ImportPlanView | null;
  options: ImportOptionsInput;
  starting: boolean;
  error: IpcError | null;
  onBack: () => void;
  onStart: () => void;
}) {
  if (!plan) return <TableSkeleton rows={4} />;
  const nothing = plan.blocked || plan.people.create + plan.people.change + plan.clinicsToCreate.length === 0;
  return (
    <Stack gap="md">
      <Alert color={plan.blocked ? 'red' : 'blue'} title="What this import will do" data-testid="import-confirm">
        <Stack gap={6}>
          {describePlan(plan, options).map((sentence) => (
            <Text key={sentence} size="sm">
              {sentence}
            </Text>
          ))}
        </Stack>
      </Alert>
      <PlanCounts plan={plan} />
      {!plan.blocked && (
        <Text size="sm" c="dimmed">
          {describeEstimate(plan.estimate)} The import goes on if this window is closed or reloaded; it can be cancelled and
          resumed later.
        </Text>
      )}
      {error && <ErrorNotice error={error} title="The import did not start" />}
      <Group justify="space-between">
        <Button variant="default" onClick={onBack}>
          Back
        </Button>
        <Button onClick={onStart} loading={starting} disabled={nothing}>
          Import
        </Button>
      </Group>
    </Stack>
  );
}
