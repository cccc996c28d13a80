import { Alert, Text } from '@mantine/core';
import type { IpcError } from '../../../preload/api/contract';

/** What happened and what to do, with the technical detail behind a disclosure. */
export function ErrorNotice({ error, title = 'Something went wrong' }: { error: IpcError; title?: string }) {
  return (
    <Alert color="red" title={title} role="alert">
      <Text size="sm">{error.message}</Text>
      {error.details && (
        <details style={{ marginTop: 6 }}>
          <summary style={{ cursor: 'pointer', fontSize: 'var(--mantine-font-size-xs)' }}>Details</summary>
          <Text size="xs" ff="monospace" mt={4}>
            {error.details}
          </Text>
        </details>
      )}
    </Alert>
  );
}
