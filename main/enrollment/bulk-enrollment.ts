/**
 * Enrolls many people in one clinic (or removes them from it) as a long job, on the import's
 * paced apply: one engine change per person (each its own concurrency-safe write, so concurrent
 * edits by others survive), a few people at once, paced from the server's `RateLimit` header so
 * that the quota is waited for instead of met with 429s, retried on 5xx answers and dropped
 * connections, progress after each person. A cancel stops new people from starting; those under
 * way are finished. A person who cannot be changed is recorded and skipped; the rest go on.
 */
import { changeClinicianClinics } from '../engines/clinicians';
import type { EngineContext } from '../engines/engine-context';
import { changePatientClinics } from '../engines/patients';
import { pacedEach } from '../import/apply/paced-each';
import { QuotaPacer } from '../import/apply/quota-pacer';
import { COST } from '../import/plan/quota-estimate';
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

export interface BulkEnrollmentOptions {
  /** People changed at once; default 4, as the import's changes. */
  readonly concurrency?: number;
  readonly pacer?: QuotaPacer;
}

export const BULK_CONCURRENCY = 4;

const NOUNS: Record<BulkKind, [string, string]> = { patients: ['patient', 'patients'], clinicians: ['clinician', 'clinicians'] };

function countOf(kind: BulkKind, count: number): string {
  const [one, many] = NOUNS[kind];
  return `${count} ${count === 1 ? one : many}`;
}

export async function runBulkEnrollment(
  ctx: EngineContext,
  request: { clinicId: string; kind: BulkKind; ids: readonly string[]; action?: BulkAction },
  job: JobContext,
  options: BulkEnrollmentOptions = {},
): Promise<BulkEnrollmentResult> {
  const action = request.action ?? 'enroll';
  const total = request.ids.length;
  const [doing, done] = action === 'enroll' ? ['Enrolling', 'enrolled'] : ['Removing', 'removed'];
  const change = action === 'enroll' ? { enroll: [request.clinicId] } : { unenroll: [request.clinicId] };
  const points = request.kind === 'patients' ? COST.changePatient : COST.changeClinician;
  let enrolled = 0;
  let failed = 0;
  job.report({ done: 0, total, message: `${doing} ${countOf(request.kind, total)}…` });
  await pacedEach(
    request.ids,
    { pacer: options.pacer ?? new QuotaPacer(ctx.client), concurrency: options.concurrency ?? BULK_CONCURRENCY, points: () => points, signal: job.signal },
    async (id) => {
      if (request.kind === 'patients') await changePatientClinics(ctx, id, change);
      else await changeClinicianClinics(ctx, id, change);
    },
    (outcome) => {
      // A failure is in the activity log with its reason (the engine records it); carry on with the rest.
      if (outcome.ok) enrolled++;
      else failed++;
      job.report({
        done: enrolled + failed,
        total,
        message: failed ? `${enrolled} ${done}, ${failed} could not be (see Activity)` : `${enrolled} of ${total} ${done}`,
      });
    },
  );
  return { action, enrolled, failed, total, cancelled: job.signal.aborted && enrolled + failed < total };
}

/** The job's closing sentence, in the administrator's words. */
export function describeBulkResult(kind: BulkKind, result: BulkEnrollmentResult, clinicName: string): string {
  const removing = result.action === 'unenroll';
  const done = removing ? `${countOf(kind, result.enrolled)} removed from ${clinicName}` : `${countOf(kind, result.enrolled)} enrolled in ${clinicName}`;
  const failed = result.failed ? `; ${countOf(kind, result.failed)} could not be ${removing ? 'removed' : 'enrolled'} (Activity says why)` : '';
  const stopped = result.cancelled ? `; stopped on request before the other ${result.total - result.enrolled - result.failed}` : '';
  return `${done}${failed}${stopped}.`;
}
