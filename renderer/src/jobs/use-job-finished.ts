import { useEffect, useRef } from 'react';
import { useApi } from '../api/api-context';

/** Runs `action` whenever any long job ends, e.g. to reload a list the job may have changed. */
export function useJobFinished(action: () => void): void {
  const api = useApi();
  const latest = useRef(action);
  latest.current = action;
  useEffect(() => api.on.jobProgress((event) => event.state !== 'running' && latest.current()), [api]);
}
