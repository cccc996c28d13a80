import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import type { ApiQuery } from '../api/use-api-query';
import { useConnectionHealth } from '../api/connection-health';

/**
 * A read that failed: what happened, Retry, and (when something was loaded before) that what is
 * shown greyed below is from then. A screen never shows an empty state after a failed read.
 */
export function LoadError({ query, title }: { query: Pick<ApiQuery<unknown>, 'error' | 'stale' | 'loading' | 'reload'>; title: string }) {
  const { health, checkNow } = useConnectionHealth();
  if (!query.error) return null;
  const away = query.error.code === 'network_error' || health !== 'online';
  return (
    <Alert color={away ? 'orange' : 'red'} title={title} role="alert" data-testid="load-error">
      <Stack gap={6}>
        <Text size="sm">{query.error.message}</Text>
        {query.stale && (
          <Text size="sm" c="dimmed">
            What is shown below is what was loaded before; it may be out of date.
          </Text>
        )}
        {away && (
          <Text size="sm" c="dimmed">
            The console checks the server again by itself and reloads this as soon as it answers.
          </Text>
        )}
        {query.error.details && (
          <details>
            <summary style={{ cursor: 'pointer', fontSize: 'var(--mantine-font-size-xs)' }}>Details</summary>
            <Text size="xs" ff="monospace" mt={4}>
              {query.error.details}
            </Text>
          </details>
        )}
        <Group>
          <Button
            size="xs"
            variant="light"
            color={away ? 'orange' : 'red'}
            leftSection={<IconRefresh size={14} />}
            loading={query.loading}
            onClick={() => {
              if (away) checkNow();
              query.reload();
            }}
          >
            Retry
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
