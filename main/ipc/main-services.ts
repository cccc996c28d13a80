/**
 * Builds the main-process services (handlers, jobs, dispatcher) from their collaborators.
 * The Electron shell and the end-to-end harness both call this, so the harness exercises the
 * very handlers the app runs.
 */
import type { AppInfo, JobProgress } from '../../preload/api/contract';
import { JobRegistry } from '../jobs/job-registry';
import type { Logger } from '../logging/logger';
import { type Dispatcher, createDispatcher } from './dispatcher';
import { createHandlers } from './handlers';
import type { SenderPolicy } from './sender-policy';

export interface MainServicesOptions {
  appInfo: () => AppInfo;
  openExternal: (url: string) => Promise<void>;
  publishJobProgress: (progress: JobProgress) => void;
  senderPolicy: SenderPolicy;
  logger: Logger;
}

export interface MainServices {
  dispatcher: Dispatcher;
  jobs: JobRegistry;
}

export function createMainServices(options: MainServicesOptions): MainServices {
  const jobs = new JobRegistry({ publish: options.publishJobProgress });
  const handlers = createHandlers({ appInfo: options.appInfo, openExternal: options.openExternal, jobs });
  const dispatcher = createDispatcher({ handlers, senderPolicy: options.senderPolicy, logger: options.logger });
  return { dispatcher, jobs };
}
