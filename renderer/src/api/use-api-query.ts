/**
 * Loads something from main and keeps it with its loading and error state. `reload()` asks again;
 * answers to stale requests (after the inputs changed) are dropped.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Envelope, IpcError } from '../../../preload/api/contract';

export interface ApiQuery<T> {
  data: T | null;
  error: IpcError | null;
  loading: boolean;
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
        setState(envelope.ok ? { data: envelope.value, error: null, loading: false } : { data: null, error: envelope.error, loading: false });
      },
      () => {
        if (mine !== generation.current) return;
        setState({ data: null, error: { code: 'internal', message: 'The console could not reach its main process. Restart it.' }, loading: false });
      },
    );
    // `load` is recreated each render; `deps` says when it really changes.
  }, [...deps, tick]);

  const reload = useCallback(() => setTick((value) => value + 1), []);
  return { ...state, reload };
}
