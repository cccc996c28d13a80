/**
 * Enrolls many people in one clinic as a long job: one change per person (each its own
 * read-modify-write, so concurrent edits by others survive), progress after each, and a stop
 * between people when cancelled. A person who cannot be enrolled is recorded and skipped; the
 * rest go on.
 */
import { changeClinicianClinics } from '../engines/clinicians';
import type { EngineContext } from '../engines/engine-context';
import { changePatientClinics } from '../engines/patients';
import type { JobContext } from '../jobs/job-registry';

export type BulkKind = 'patients' | 'clinicians';
export type BulkAction = 'enroll' | 'unenroll';

export interface BulkEnrollmentResult {
  action?: BulkAction;
  enrolled: number;
  failed: number;
  total: number;
  cancelled: boolean;
}

const NOUNS: Record<BulkKind, [string, string]> = { patients: ['patient', 'patients'], clinicians: ['clinician', 'clinicians'] };

function countOf(kind: BulkKind, count: number): string {
  const [one, many] = NOUNS[kind];
  return `${count} ${count === 1 ? one : many}`;
}

export async function runBulkEnrollment(
  ctx: EngineContext,
  request: { clinicId: string; kind: BulkKind; ids: readonly string[]; action?: BulkAction },
  job: JobContext,
): Promise<BulkEnrollmentResult> {
  const action = request.action ?? 'enroll';
  const total = request.ids.length;
  const [doing, done] = action === 'enroll' ? ['Enrolling', 'enrolled'] : ['Removing', 'removed'];
  let enrolled = 0;
  let failed = 0;
  job.report({ done: 0, total, message: `${doing} ${countOf(request.kind, total)}…` });
  for (const id of request.ids) {
    if (job.signal.aborted) break;
    const change = action === 'enroll' ? { enroll: [request.clinicId] } : { unenroll: [request.clinicId] };
    try {
      if (request.kind === 'patients') await changePatientClinics(ctx, id, change);
      else await changeClinicianClinics(ctx, id, change);
      enrolled++;
    } catch {
      // The engine recorded the failure in the activity log with its reason; carry on with the rest.
      failed++;
    }
    job.report({
      done: enrolled + failed,
      total,
      message: failed ? `${enrolled} ${done}, ${failed} could not be (see Activity)` : `${enrolled} of ${total} ${done}`,
    });
  }
  return { action, enrolled, failed, total, cancelled: job.signal.aborted };
}

/** The job's closing sentence, in the administrator's words. */
export function describeBulkResult(kind: BulkKind, result: BulkEnrollmentResult, clinicName: string): string {
  const removing = result.action === 'unenroll';
  const done = removing ? `${countOf(kind, result.enrolled)} removed from ${clinicName}` : `${countOf(kind, result.enrolled)} enrolled in ${clinicName}`;
  const failed = result.failed ? `; ${countOf(kind, result.failed)} could not be ${removing ? 'removed' : 'enrolled'} (Activity says why)` : '';
  const stopped = result.cancelled ? `; stopped on request before the other ${result.total - result.enrolled - result.failed}` : '';
  return `${done}${failed}${stopped}.`;
}
