import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { HashRouter } from 'react-router';
import type { MsoApi } from '../../preload/api/create-api';
import { ApiProvider } from './api/api-context';
import { App } from './App';
import { ErrorBoundary } from './components/ErrorBoundary';
import { theme } from './theme';

/** Everything around the app: theme (following the OS light/dark), notifications, the API. */
export function Root({ api }: { api: MsoApi }) {
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <Notifications position="top-right" />
      <ErrorBoundary>
        <ApiProvider api={api}>
          <HashRouter>
            <App />
          </HashRouter>
        </ApiProvider>
      </ErrorBoundary>
    </MantineProvider>
  );
}
