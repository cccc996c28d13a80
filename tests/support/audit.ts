/** Runs the access audit over IPC as the window does: start the job, wait for its end, read the report. */
import type { JobProgress } from '../../preload/api/contract';
import type { AuditReport } from '../../preload/api/schemas/audit';
import type { MsoApi } from '../../preload/api/create-api';
import { unwrapOk } from './envelope';

/** The job's final event, once it has one (main publishes every job's events to `progress`). */
export async function jobEnd(main: { progress: JobProgress[] }, jobId: string, timeoutMs = 120_000): Promise<JobProgress> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const end = main.progress.find((p) => p.jobId === jobId && p.state !== 'running');
    if (end) return end;
    if (Date.now() > deadline) throw new Error(`Job ${jobId} did not end within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A whole audit; a job that does not succeed fails the test with its closing message. */
export async function auditOverIpc(api: MsoApi, main: { progress: JobProgress[] }): Promise<AuditReport> {
  const { jobId } = unwrapOk(await api.runAudit());
  const end = await jobEnd(main, jobId);
  if (end.state !== 'succeeded') throw new Error(`The audit job ended ${end.state}: ${end.message}`);
  const report = unwrapOk(await api.getAuditReport());
  if (!report) throw new Error('The audit succeeded but getAuditReport has no report');
  return report;
}
