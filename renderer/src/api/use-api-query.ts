/**
 * Loads something from main and keeps it with its loading and error state. `reload()` asks again;
 * answers to stale requests (after the inputs changed) are dropped. A failed read keeps what was
 * loaded before (shown greyed under the error, never replaced by an empty state), and a read that
 * failed because the server was away runs again by itself once it is back.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Envelope, IpcError } from '../../../preload/api/contract';
import { useConnectionHealth } from './connection-health';

export interface ApiQuery<T> {
  data: T | null;
  error: IpcError | null;
  loading: boolean;
  /** True when `data` is from an earlier read and the last one failed. */
  stale: boolean;
  reload: () => void;
}

export function useApiQuery<T>(load: () => Promise<Envelope<T>>, deps: readonly unknown[]): ApiQuery<T> {
  const [state, setState] = useState<{ data: T | null; error: IpcError | null; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const generation = useRef(0);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const mine = ++generation.current;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (envelope) => {
        if (mine !== generation.current) return;
        setState((previous) =>
          envelope.ok ? { data: envelope.value, error: null, loading: false } : { data: previous.data, error: envelope.error, loading: false },
        );
      },
      () => {
        if (mine !== generation.current) return;
        setState((previous) => ({
          data: previous.data,
          error: { code: 'internal', message: 'The console could not reach its main process. Restart it.' },
          loading: false,
        }));
      },
    );
    // `load` is recreated each render; `deps` says when it really changes.
  }, [...deps, tick]);

  const reload = useCallback(() => setTick((value) => value + 1), []);
  // The server is back: a read that failed reads again.
  const { onRecovered } = useConnectionHealth();
  const failed = state.error !== null;
  useEffect(() => (failed ? onRecovered(reload) : undefined), [failed, onRecovered, reload]);
  return { ...state, stale: failed && state.data !== null, reload };
}
