/**
 * Every long job of main, for the whole window: the header shows the running ones (with Cancel),
 * and a job's end is announced once, whether or not the dialog that started it is still open.
 */
import { notifications } from '@mantine/notifications';
import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { JobProgress } from '../../../preload/api/contract';
import { useApi } from '../api/api-context';
import { ActivityNotice } from '../components/ActivityNotice';
import { jobLabel } from './job-labels';

const JobsContext = createContext<JobProgress[]>([]);

const ENDINGS: Record<Exclude<JobProgress['state'], 'running'>, string> = {
  succeeded: 'finished',
  cancelled: 'stopped',
  failed: 'stopped by an error',
};

export function JobsProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [jobs, setJobs] = useState<Map<string, JobProgress>>(new Map());
  const announced = useRef(new Set<string>());

  // Jobs already running when the window (re)loads are picked up from main.
  useEffect(() => {
    void api.listJobs().then((result) => {
      if (!result.ok) return;
      setJobs((previous) => {
        const next = new Map(previous);
        // A job that ended while the list was on its way stays ended.
        for (const job of result.value) if (!next.has(job.jobId) && !announced.current.has(job.jobId)) next.set(job.jobId, job);
        return next;
      });
    });
  }, [api]);

  useEffect(
    () =>
      api.on.jobProgress((event) => {
        setJobs((previous) => {
          const next = new Map(previous);
          if (event.state === 'running') next.set(event.jobId, event);
          else next.delete(event.jobId);
          return next;
        });
        if (event.state !== 'running' && !announced.current.has(event.jobId)) {
          announced.current.add(event.jobId);
          notifications.show({
            color: event.state === 'succeeded' ? 'teal' : event.state === 'cancelled' ? 'orange' : 'red',
            title: `${jobLabel(event.kind)} ${ENDINGS[event.state]}`,
            message: <ActivityNotice summary={event.message} />,
            autoClose: event.state === 'succeeded' ? 6000 : false,
          });
        }
      }),
    [api],
  );

  const running = useMemo(() => [...jobs.values()], [jobs]);
  return <JobsContext.Provider value={running}>{children}</JobsContext.Provider>;
}

export function useRunningJobs(): JobProgress[] {
  return useContext(JobsContext);
}
