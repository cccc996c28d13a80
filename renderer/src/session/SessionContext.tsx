/**
 * What the renderer knows of the session: who is signed in, to which project, and whether they
 * are a project administrator. It never holds a token; main pushes changes as events.
 */
import { notifications } from '@mantine/notifications';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { SessionInfo } from '../../../preload/api/schemas/connection';
import { useApi } from '../api/api-context';

interface SessionState {
  session: SessionInfo | null;
  /** True until main has said whether a saved sign-in could be restored. */
  restoring: boolean;
  setSession(session: SessionInfo | null): void;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [restoring, setRestoring] = useState(true);

  useEffect(() => {
    let current = true;
    api
      .getSession()
      .then((envelope) => {
        if (!current) return;
        if (envelope.ok) setSession(envelope.value);
        else notifications.show({ color: 'red', title: 'Could not restore your sign-in', message: envelope.error.message });
      })
      .finally(() => current && setRestoring(false));
    return () => {
      current = false;
    };
  }, [api]);

  useEffect(
    () =>
      api.on.sessionChanged((event) => {
        if (event.state === 'signed-in') setSession(event.session);
        else setSession((previous) => (previous?.connectionId === event.connectionId ? null : previous));
        if (event.state === 'expired') {
          notifications.show({ color: 'orange', title: 'Signed out', message: event.reason, autoClose: false });
        }
      }),
    [api],
  );

  const update = useCallback((next: SessionInfo | null) => setSession(next), []);
  const value = useMemo(() => ({ session, restoring, setSession: update }), [session, restoring, update]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession must be used inside a SessionProvider');
  return state;
}
