/**
 * Runs a change in main and tells the administrator what happened: a notification with main's
 * plain-words summary and a link to the Activity log, or the error with what to do.
 */
import { notifications } from '@mantine/notifications';
import { createElement, useCallback, useState } from 'react';
import { ActivityNotice } from '../components/ActivityNotice';
import type { Envelope, IpcError } from '../../../preload/api/contract';
import type { ChangeResult } from '../../../preload/api/schemas/enrollment';

export function useChange<T>(): {
  running: boolean;
  error: IpcError | null;
  run: (call: () => Promise<Envelope<ChangeResult<T>>>, title: string) => Promise<T | null>;
  clearError: () => void;
} {
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const run = useCallback(async (call: () => Promise<Envelope<ChangeResult<T>>>, title: string) => {
    setRunning(true);
    setError(null);
    // A second early, so the entry main writes is on or after it whatever the clocks' rounding.
    const since = new Date(Date.now() - 1000).toISOString();
    try {
      const result = await call();
      if (!result.ok) {
        setError(result.error);
        return null;
      }
      notifications.show({ color: 'teal', title, message: createElement(ActivityNotice, { summary: result.value.summary, since }) });
      return result.value.value;
    } finally {
      setRunning(false);
    }
  }, []);
  return { running, error, run, clearError: useCallback(() => setError(null), []) };
}
