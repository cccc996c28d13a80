/** Handlers that belong to the console itself rather than to a Medplum connection. */
import type { AppInfo } from '../../preload/api/contract';
import type { JobRegistry } from '../jobs/job-registry';
import { isSafeExternalUrl } from '../security/external-url';
import { AppError } from '../errors/app-error';
import type { Handler } from './dispatcher';

export interface AppHandlerDeps {
  appInfo: () => AppInfo;
  openExternal: (url: string) => Promise<void>;
  jobs: JobRegistry;
}

export function createAppHandlers(deps: AppHandlerDeps): {
  getAppInfo: Handler<'getAppInfo'>;
  openExternal: Handler<'openExternal'>;
  listJobs: Handler<'listJobs'>;
  cancelJob: Handler<'cancelJob'>;
} {
  return {
    getAppInfo: () => deps.appInfo(),
    openExternal: async ({ url }) => {
      if (!isSafeExternalUrl(url)) {
        throw new AppError('invalid_argument', 'Only secure web links (https) can be opened from the console.');
      }
      await deps.openExternal(url);
      return { opened: true };
    },
    listJobs: () => deps.jobs.list(),
    cancelJob: ({ jobId }) => ({ cancelled: deps.jobs.cancel(jobId) }),
  };
}
