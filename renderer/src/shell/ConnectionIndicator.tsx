import { Badge, Group, Text } from '@mantine/core';

/** Which Medplum project the console is working on; sign-in fills this in. */
export function ConnectionIndicator() {
  return (
    <Group gap="xs" data-testid="connection-indicator">
      <Badge color="gray" variant="light">
        Not connected
      </Badge>
      <Text size="sm" c="dimmed" visibleFrom="sm">
        No Medplum project selected
      </Text>
    </Group>
  );
}
