/** The access audit as a long job: progress per request of the stated bound, Cancel between page reads. */
import type { AuditReport } from '../../preload/api/schemas/audit';
import type { EngineContext } from '../engines/engine-context';
import { AppError } from '../errors/app-error';
import type { JobContext } from '../jobs/job-registry';
import { AuditReader } from './audit-reader';
import { type AuditRun, runAudit } from './run-audit';

export type AuditOutcome =
  | { kind: 'done'; report: AuditReport }
  | { kind: 'stopped'; requests: number; bound: number | null };

/**
 * Runs one audit; `keep` gets the finished run (a stopped audit keeps nothing, so the previous
 * report stays). The reader checks the job's signal before each page, so Cancel stops between
 * pages; the audit writes nothing, so there is nothing to undo.
 */
export async function auditJob(
  ctx: Pick<EngineContext, 'client' | 'pageSize'>,
  job: JobContext,
  project: { projectId: string; projectName: string },
  keep: (run: AuditRun) => void,
): Promise<AuditOutcome> {
  const reader = new AuditReader(ctx.client, ctx.pageSize, job.signal);
  let bound: number | null = null;
  try {
    const run = await runAudit({
      reader,
      projectId: project.projectId,
      projectName: project.projectName,
      onProgress: (read) => {
        bound = read.bound;
        // Lists that grew since they were counted may pass the bound: never show more done than total.
        job.report({ done: read.requests, total: read.bound === null ? null : Math.max(read.bound, read.requests), message: read.bound === null ? 'Counting what the audit reads; nothing is written.' : `Reading the project in at most ${read.bound.toLocaleString('en-US')} requests; nothing is written.` });
      },
    });
    if (job.signal.aborted) return { kind: 'stopped', requests: reader.requests, bound };
    keep(run);
    return { kind: 'done', report: run.report };
  } catch (error) {
    if (job.signal.aborted) return { kind: 'stopped', requests: reader.requests, bound };
    throw error;
  }
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** An AppError's message is written for the administrator (no secret, no PHI): it says why. */
export function describeAuditFailure(error: unknown): string {
  return error instanceof AppError ? `The audit did not finish: ${error.message}` : 'The audit did not finish because of an unexpected error.';
}

export function describeAudit(outcome: AuditOutcome): string {
  if (outcome.kind === 'stopped') {
    const of = outcome.bound === null ? '' : ` of at most ${outcome.bound.toLocaleString('en-US')}`;
    return `Audit stopped after ${plural(outcome.requests, 'request', 'requests')}${of}. Nothing was written; the previous report, if any, is kept.`;
  }
  const { counts, requests } = outcome.report;
  return `Audit finished in ${plural(requests, 'request', 'requests')}: ${plural(counts.critical, 'critical finding', 'critical findings')}, ${plural(counts.warning, 'warning', 'warnings')}, ${plural(counts.notice, 'notice', 'notices')}.`;
}
