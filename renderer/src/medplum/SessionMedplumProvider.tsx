import { MedplumProvider } from '@medplum/react';
import { useMemo, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import { useSession } from '../session/SessionContext';
import { createIpcMedplumClient } from './ipc-medplum-client';

/** Gives @medplum/react components a read-only client for the signed-in connection. */
export function SessionMedplumProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const { session } = useSession();
  const baseUrl = session?.baseUrl;
  const client = useMemo(() => (baseUrl ? createIpcMedplumClient(api, baseUrl) : null), [api, baseUrl]);
  if (!client) return <>{children}</>;
  return <MedplumProvider medplum={client}>{children}</MedplumProvider>;
}
