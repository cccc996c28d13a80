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

export interface BulkEnrollmentResult {
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
  request: { clinicId: string; kind: BulkKind; ids: readonly string[] },
  job: JobContext,
): Promise<BulkEnrollmentResult> {
  const total = request.ids.length;
  let enrolled = 0;
  let failed = 0;
  job.report({ done: 0, total, message: `Enrolling ${countOf(request.kind, total)}…` });
  for (const id of request.ids) {
    if (job.signal.aborted) break;
    try {
      if (request.kind === 'patients') await changePatientClinics(ctx, id, { enroll: [request.clinicId] });
      else await changeClinicianClinics(ctx, id, { enroll: [request.clinicId] });
      enrolled++;
    } catch {
      // The engine recorded the failure in the activity log with its reason; carry on with the rest.
      failed++;
    }
    job.report({
      done: enrolled + failed,
      total,
      message: failed ? `${enrolled} enrolled, ${failed} could not be (see Activity)` : `${enrolled} of ${total} enrolled`,
    });
  }
  return { enrolled, failed, total, cancelled: job.signal.aborted };
}

/** The job's closing sentence, in the administrator's words. */
export function describeBulkResult(kind: BulkKind, result: BulkEnrollmentResult, clinicName: string): string {
  const done = `${countOf(kind, result.enrolled)} enrolled in ${clinicName}`;
  const failed = result.failed ? `; ${countOf(kind, result.failed)} could not be enrolled (Activity says why)` : '';
  const stopped = result.cancelled ? `; stopped on request before the other ${result.total - result.enrolled - result.failed}` : '';
  return `${done}${failed}${stopped}.`;
}
