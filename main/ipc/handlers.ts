/** Every handler of the contract, assembled from their feature modules. */
import type { ManagedConfigResult } from '../config/load-managed-config';
import type { SessionEngine } from '../enrollment/session-engine';
import { type AppHandlerDeps, createAppHandlers } from './app-handlers';
import { createAuditHandlers } from './audit-handlers';
import { createClinicHandlers } from './clinic-handlers';
import { createClinicianHandlers } from './clinician-handlers';
import type { HandlerMap } from './dispatcher';
import { type ImportDialogs, createImportHandlers } from './import-handlers';
import { createHistoryHandlers } from './history-handlers';
import { createManagedConfigHandlers } from './managed-config-handlers';
import { createPatientHandlers } from './patient-handlers';
import { createPolicyActivityHandlers } from './policy-activity-handlers';
import { type SessionHandlerDeps, createSessionHandlers } from './session-handlers';

export type MainDeps = AppHandlerDeps &
  SessionHandlerDeps & { engine: SessionEngine; managedConfig: ManagedConfigResult; userDataDir: string; importDialogs?: ImportDialogs };

export function createHandlers(deps: MainDeps): HandlerMap {
  return {
    ...createAppHandlers(deps),
    ...createManagedConfigHandlers(deps.managedConfig),
    ...createSessionHandlers(deps),
    ...createClinicHandlers(deps.engine, deps.jobs),
    ...createClinicianHandlers(deps.engine),
    ...createPatientHandlers(deps.engine),
    ...createPolicyActivityHandlers(deps.engine),
    ...createImportHandlers({
      engine: deps.engine,
      jobs: deps.jobs,
      sessions: deps.sessions,
      connections: deps.connections,
      userDataDir: deps.userDataDir,
      ...(deps.importDialogs ? { importDialogs: deps.importDialogs } : {}),
    }),
    ...createHistoryHandlers(deps.engine, deps.jobs),
    ...createAuditHandlers(deps.engine, deps.jobs),
  };
}
