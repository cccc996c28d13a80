/**
 * At start (once signed in), an import left unfinished by a quit or a crash is announced, with
 * the way to resume it. Shown once per window.
 */
import { Anchor, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useRef } from 'react';
import { useApi } from '../api/api-context';
import { useSession } from '../session/SessionContext';

export function InterruptedImportNotice() {
  const api = useApi();
  const { session } = useSession();
  const shown = useRef(false);
  useEffect(() => {
    if (!session || shown.current) return;
    shown.current = true;
    void api.listImports().then((result) => {
      if (!result.ok) return;
      const interrupted = result.value.filter((entry) => entry.state === 'interrupted');
      if (interrupted.length === 0) return;
      notifications.show({
        id: 'interrupted-import',
        color: 'orange',
        autoClose: false,
        title: interrupted.length === 1 ? 'An import did not finish' : `${interrupted.length} imports did not finish`,
        message: (
          <Text size="sm">
            {interrupted.length === 1 ? `${interrupted[0]?.fileName} stopped before its end.` : 'They stopped before their end.'}{' '}
            <Anchor href="#/import" size="sm" onClick={() => notifications.hide('interrupted-import')}>
              Resume on the Import page
            </Anchor>
          </Text>
        ),
      });
    });
  }, [api, session]);
  return null;
}
