/**
 * What both enroll dialogs share: the chosen people, and enrolling them one change at a time
 * with a running count, stopping at the first refusal so the administrator sees which one failed.
 */
import { notifications } from '@mantine/notifications';
import { useCallback, useState } from 'react';
import type { Envelope, IpcError } from '../../../preload/api/contract';

export function useSelection<T>(keyOf: (item: T) => string) {
  const [chosen, setChosen] = useState<Map<string, T>>(new Map());
  const toggle = useCallback(
    (item: T) =>
      setChosen((previous) => {
        const next = new Map(previous);
        const key = keyOf(item);
        if (next.has(key)) next.delete(key);
        else next.set(key, item);
        return next;
      }),
    [keyOf],
  );
  return { chosen, toggle, items: [...chosen.values()] };
}

export function useBulkEnroll<T>(enroll: (item: T) => Promise<Envelope<unknown>>) {
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [error, setError] = useState<IpcError | null>(null);

  /** Enrolls every item; returns true when all were enrolled. */
  const run = async (items: readonly T[], notice: { title: string; message: (done: number) => string }): Promise<boolean> => {
    setProgress({ done: 0, total: items.length });
    setError(null);
    let done = 0;
    for (const item of items) {
      const result = await enroll(item);
      if (!result.ok) {
        setError(result.error);
        break;
      }
      done++;
      setProgress({ done, total: items.length });
    }
    setProgress(null);
    if (done > 0) notifications.show({ color: 'teal', title: notice.title, message: `${notice.message(done)} It is listed in Activity.` });
    return done === items.length;
  };

  return { progress, error, run };
}
