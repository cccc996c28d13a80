import { Button, Popover, Stack, Text } from '@mantine/core';
import { IconLoader2 } from '@tabler/icons-react';
import { useApi } from '../api/api-context';
import { JobProgressPanel } from '../jobs/JobProgressPanel';
import { useRunningJobs } from '../jobs/JobsContext';
import { jobLabel } from '../jobs/job-labels';

/** "1 job running" in the header while any long job runs; its progress and Cancel are one click away. */
export function JobsIndicator() {
  const api = useApi();
  const jobs = useRunningJobs();
  if (jobs.length === 0) return null;
  return (
    <Popover position="bottom-end" width={380} withArrow>
      <Popover.Target>
        <Button variant="light" size="compact-sm" leftSection={<IconLoader2 size={14} />} data-testid="jobs-indicator">
          {jobs.length === 1 ? '1 job running' : `${jobs.length} jobs running`}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="md">
          {jobs.map((job) => (
            <Stack key={job.jobId} gap={4}>
              <Text size="sm" fw={600}>
                {jobLabel(job.kind)}
              </Text>
              <JobProgressPanel progress={job} onCancel={() => void api.cancelJob({ jobId: job.jobId })} />
            </Stack>
          ))}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
