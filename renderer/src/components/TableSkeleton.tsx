import { Skeleton, Stack } from '@mantine/core';

export function TableSkeleton({ rows = 6 }: { rows?: number }) {
  return (
    <Stack gap="xs" p="md" aria-busy="true" aria-label="Loading">
      {Array.from({ length: rows }, (_, index) => (
        <Skeleton key={index} h={26} />
      ))}
    </Stack>
  );
}
