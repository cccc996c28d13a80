import { MantineProvider } from '@mantine/core';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import { HashRouter } from 'react-router';
import type { MsoApi } from '../../preload/api/create-api';
import { ApiProvider } from './api/api-context';
import { App } from './App';
import { ErrorBoundary } from './components/ErrorBoundary';
import { JobsProvider } from './jobs/JobsContext';
import { SessionMedplumProvider } from './medplum/SessionMedplumProvider';
import { SessionProvider, useSession } from './session/SessionContext';
import { ConnectionHealthProvider } from './api/connection-health';
import { useApi } from './api/api-context';
import type { ReactNode } from 'react';
import { cssVariablesResolver, theme } from './theme';

/** Everything around the app: theme (following the OS light/dark), notifications, the API. */
export function Root({ api }: { api: MsoApi }) {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="auto">
      {/*
        Bottom left: never over the header with the active connection, and never over a dialog's
        actions, which sit at the dialog's bottom right.
      */}
      <Notifications position="bottom-left" containerWidth={380} />
      <ErrorBoundary>
        <ApiProvider api={api}>
          <SessionProvider>
            <SessionHealth>
              <SessionMedplumProvider>
                <JobsProvider>
                  <ModalsProvider>
                    <HashRouter>
                      <App />
                    </HashRouter>
                  </ModalsProvider>
                </JobsProvider>
              </SessionMedplumProvider>
            </SessionHealth>
          </SessionProvider>
        </ApiProvider>
      </ErrorBoundary>
    </MantineProvider>
  );
}

/** Watches the signed-in server, and gives every screen below the API that reports to it. */
function SessionHealth({ children }: { children: ReactNode }) {
  const api = useApi();
  const { session } = useSession();
  return (
    <ConnectionHealthProvider api={api} baseUrl={session?.baseUrl ?? null}>
      {children}
    </ConnectionHealthProvider>
  );
}
