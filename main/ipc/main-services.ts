/**
 * Builds the main-process services (connections, session, handlers, jobs, dispatcher) from
 * their collaborators. The Electron shell and the end-to-end harness both call this, so the
 * harness exercises the very handlers the app runs.
 */
import path from 'node:path';
import type { AppInfo, JobProgress } from '../../preload/api/contract';
import type { SessionEvent } from '../../preload/api/schemas/connection';
import { type ManagedConfigResult, managedConfigInForce } from '../config/load-managed-config';
import { connectionPolicyOf } from '../config/managed-connections';
import { ConnectionStore } from '../connections/connection-store';
import { JobRegistry } from '../jobs/job-registry';
import type { Logger } from '../logging/logger';
import type { SecretStore } from '../secrets/secret-store';
import { type SandboxLauncher, createSandboxLauncher } from '../session/sandbox-launcher';
import { SessionManager } from '../session/session-manager';
import { type SessionEngine, createSessionEngine } from '../enrollment/session-engine';
import { type Dispatcher, createDispatcher } from './dispatcher';
import { createHandlers } from './handlers';
import type { SenderPolicy } from './sender-policy';
import type { ImportDialogs } from './import-handlers';

export interface MainServicesOptions {
  appInfo: () => AppInfo;
  openExternal: (url: string) => Promise<void>;
  publishJobProgress: (progress: JobProgress) => void;
  publishSessionEvent: (event: SessionEvent) => void;
  senderPolicy: SenderPolicy;
  logger: Logger;
  /** The app's user-data folder: settings and the sandbox's data live here, never secrets. */
  userDataDir: string;
  secrets: SecretStore;
  /** Defaults to the embedded local server with its data in the user-data folder. */
  sandbox?: SandboxLauncher;
  /** Opens the system browser for browser sign-in; defaults to openExternal. */
  openBrowser?: (url: string) => Promise<void>;
  fetch?: typeof fetch;
  refreshGracePeriodMs?: number;
  /** The browser sign-in's loopback port (tests: 0, any free port). */
  loopbackPort?: number;
  /** The managed configuration as loaded at start (main/config); none by default. */
  managedConfig?: ManagedConfigResult;
  /** The import wizard's open and save dialogs (main/shell); without them only dropped files import. */
  importDialogs?: ImportDialogs;
}

export interface MainServices {
  dispatcher: Dispatcher;
  jobs: JobRegistry;
  connections: ConnectionStore;
  sessions: SessionManager;
  sandbox: SandboxLauncher;
  engine: SessionEngine;
  managedConfig: ManagedConfigResult;
}

export function createMainServices(options: MainServicesOptions): MainServices {
  const jobs = new JobRegistry({ publish: options.publishJobProgress });
  const managedConfig = options.managedConfig ?? { status: 'none', path: '' };
  const connections = new ConnectionStore(
    path.join(options.userDataDir, 'connections.json'),
    undefined,
    connectionPolicyOf(managedConfigInForce(managedConfig)),
  );
  const sandbox = options.sandbox ?? createSandboxLauncher({ dataFile: path.join(options.userDataDir, 'sandbox-data.json') });
  const sessions = new SessionManager({
    connections,
    secrets: options.secrets,
    sandbox,
    openBrowser: options.openBrowser ?? options.openExternal,
    onEvent: options.publishSessionEvent,
    logger: options.logger,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.refreshGracePeriodMs !== undefined ? { refreshGracePeriodMs: options.refreshGracePeriodMs } : {}),
    ...(options.loopbackPort !== undefined ? { loopbackPort: options.loopbackPort } : {}),
  });
  const engine = createSessionEngine({ sessions, userDataDir: options.userDataDir, logger: options.logger });
  const handlers = createHandlers({
    engine,
    appInfo: options.appInfo,
    openExternal: options.openExternal,
    jobs,
    connections,
    sessions,
    managedConfig,
    userDataDir: options.userDataDir,
    ...(options.importDialogs ? { importDialogs: options.importDialogs } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const dispatcher = createDispatcher({ handlers, senderPolicy: options.senderPolicy, logger: options.logger });
  return { dispatcher, jobs, connections, sessions, sandbox, engine, managedConfig };
}
