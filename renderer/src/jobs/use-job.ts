/**
 * Follows one long job in main: starts it, keeps its latest progress (events may arrive before
 * the start call answers, so every job's last event is kept until its id is known), cancels it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Envelope, IpcError, JobProgress } from '../../../preload/api/contract';
import { useApi } from '../api/api-context';

export function useJob(): {
  progress: JobProgress | null;
  error: IpcError | null;
  start: (call: () => Promise<Envelope<{ jobId: string }>>) => Promise<void>;
  cancel: () => void;
} {
  const api = useApi();
  const latest = useRef(new Map<string, JobProgress>());
  const current = useRef<string | null>(null);
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [error, setError] = useState<IpcError | null>(null);

  useEffect(
    () =>
      api.on.jobProgress((event) => {
        latest.current.set(event.jobId, event);
        if (event.jobId === current.current) setProgress(event);
      }),
    [api],
  );

  const start = useCallback(
    async (call: () => Promise<Envelope<{ jobId: string }>>) => {
      setError(null);
      const result = await call();
      if (!result.ok) {
        setError(result.error);
        return;
      }
      current.current = result.value.jobId;
      setProgress(latest.current.get(result.value.jobId) ?? null);
    },
    [],
  );

  const cancel = useCallback(() => {
    if (current.current) void api.cancelJob({ jobId: current.current });
  }, [api]);

  return { progress, error, start, cancel };
}
