import { Center, Group, Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** Says there is nothing here and what to do next, with the buttons that do it. */
export function EmptyState({ message, actions }: { message: string; actions?: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="xl">
      <Center>
        <Stack align="center" gap="sm" maw={460}>
          <Text ta="center" data-testid="empty-state">
            {message}
          </Text>
          {actions && <Group gap="xs">{actions}</Group>}
        </Stack>
      </Center>
    </Paper>
  );
}
