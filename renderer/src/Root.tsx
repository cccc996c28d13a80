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
import { SessionProvider } from './session/SessionContext';
import { theme } from './theme';

/** Everything around the app: theme (following the OS light/dark), notifications, the API. */
export function Root({ api }: { api: MsoApi }) {
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto">
      {/* Bottom right: notifications never cover the header with the active connection. */}
      <Notifications position="bottom-right" />
      <ErrorBoundary>
        <ApiProvider api={api}>
          <SessionProvider>
            <SessionMedplumProvider>
              <JobsProvider>
                <ModalsProvider>
                  <HashRouter>
                    <App />
                  </HashRouter>
                </ModalsProvider>
              </JobsProvider>
            </SessionMedplumProvider>
          </SessionProvider>
        </ApiProvider>
      </ErrorBoundary>
    </MantineProvider>
  );
}
