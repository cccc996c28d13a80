/** Access audit (issue 12): the handlers are being built; until then each says so. */
import type { SessionEngine } from '../enrollment/session-engine';
import { AppError } from '../errors/app-error';
import type { JobRegistry } from '../jobs/job-registry';
import type { HandlerMap } from './dispatcher';

type AuditChannel =
  | 'runAudit'
  | 'getAuditReport'
  | 'getClinicianAccess'
  | 'getPatientAccess'
  | 'getClinicAccess'
  | 'viewAsClinician'
  | 'previewRepair'
  | 'applyRepair'
  | 'exportAudit';

export function createAuditHandlers(engine: SessionEngine, jobs: JobRegistry): Pick<HandlerMap, AuditChannel> {
  void engine;
  void jobs;
  const notYet = (): never => {
    throw new AppError('internal', 'The access audit is not available in this build yet.');
  };
  return {
    runAudit: notYet,
    getAuditReport: notYet,
    getClinicianAccess: notYet,
    getPatientAccess: notYet,
    getClinicAccess: notYet,
    viewAsClinician: notYet,
    previewRepair: notYet,
    applyRepair: notYet,
    exportAudit: notYet,
  };
}
