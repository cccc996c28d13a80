/**
 * Follows an import's job by id, also one started before the window (re)loaded: its last
 * progress from the window's running jobs (JobsContext, filled from `listJobs`), then each event.
 */
import { useEffect, useState } from 'react';
import type { JobProgress } from '../../../preload/api/contract';
import { useApi } from '../api/api-context';
import { useRunningJobs } from '../jobs/JobsContext';

export function useImportJob(jobId: string | null): JobProgress | null {
  const api = useApi();
  const running = useRunningJobs();
  const [latest, setLatest] = useState<JobProgress | null>(null);
  useEffect(() => {
    setLatest(null);
    if (!jobId) return undefined;
    return api.on.jobProgress((event) => {
      if (event.jobId === jobId) setLatest(event);
    });
  }, [api, jobId]);
  const known = running.find((job) => job.jobId === jobId) ?? null;
  return latest ?? known;
}
