import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import type { ImportPlanView } from '../../../preload/api/schemas/import';
import { TableSkeleton } from '../components/TableSkeleton';
import { IssuesTable } from './IssuesTable';
import { PlanCounts } from './PlanCounts';

/** Step 3: what each row would do against the server as it is now; nothing is written. */
export function DryRunStep({ plan, onBack, onNext }: { plan: ImportPlanView | null; onBack: () => void; onNext: () => void }) {
  if (!plan) return <TableSkeleton rows={6} />;
  const missingClinics = plan.issues.some((issue) => issue.severity === 'error' && issue.message.includes('clinic that does not exist in this project'));
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        A dry run: the server was read, nothing was written. Rows with errors are skipped when you import (or, in strict mode,
        stop the whole import).
      </Text>
      <PlanCounts plan={plan} />
      {missingClinics && (
        <Alert color="blue" title="Clinics that do not exist yet">
          Some rows name a clinic this project does not have. Check the spelling, or turn on “Create missing clinics” in the
          next step.
        </Alert>
      )}
      <IssuesTable issues={plan.issues} rows={plan.rows} issuesTotal={plan.issuesTotal} rowsTotal={plan.rowsTotal} />
      <Group justify="space-between">
        <Button variant="default" onClick={onBack}>
          Back
        </Button>
        <Button onClick={onNext}>Choose options</Button>
      </Group>
    </Stack>
  );
}
