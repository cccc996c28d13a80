/** The audit job's closing words: a refusal's own words when it fails, "stopped" when cancelled. */
import type { MedplumClient } from '@medplum/core';
import { describe, expect, test } from 'vitest';
import { auditJob, describeAudit, describeAuditFailure } from '../../../main/audit/audit-job';
import { AppError } from '../../../main/errors/app-error';
import { JobRegistry } from '../../../main/jobs/job-registry';
import type { JobProgress } from '../../../preload/api/contract';

/** A client whose batch (the audit's first request) fails or waits as told. */
function clientWhoseBatch(batch: () => Promise<never>): MedplumClient {
  return { fhirUrl: (type: string) => new URL(`http://server.test/fhir/R4/${type}`), executeBatch: batch, get: () => Promise.reject(new Error('not reached')) } as unknown as MedplumClient;
}

function run(client: MedplumClient) {
  const events: JobProgress[] = [];
  const jobs = new JobRegistry({ publish: (p) => events.push(p), minIntervalMs: 0 });
  let kept = 0;
  const handle = jobs.start('access-audit', (job) => auditJob({ client }, job, { projectId: 'p', projectName: 'P' }, () => kept++), { describe: describeAudit, describeFailure: describeAuditFailure });
  return { jobs, handle, events, kept: () => kept };
}

describe('the audit job', () => {
  test('a refusal ends it failed with the refusal’s words, and keeps no report', async () => {
    const { handle, events, kept } = run(clientWhoseBatch(() => Promise.reject(new AppError('server_error', 'The server could not count what the audit reads.'))));
    await expect(handle.result).rejects.toThrow();
    expect(events.at(-1)).toMatchObject({ state: 'failed', message: 'The audit did not finish: The server could not count what the audit reads.' });
    expect(kept()).toBe(0);
  });

  test('Cancel during the first request ends it stopped after that request, and keeps no report', async () => {
    let answer: (value: never) => void = () => undefined;
    const { jobs, handle, events, kept } = run(clientWhoseBatch(() => new Promise<never>((resolve) => (answer = resolve))));
    await new Promise((r) => setTimeout(r, 10));
    jobs.cancel(handle.jobId);
    answer({ resourceType: 'Bundle', type: 'batch-response', entry: [] } as never);
    await handle.result.catch(() => undefined);
    expect(events.at(-1)?.state).toBe('cancelled');
    // The empty answer fails the counts, but a cancelled job says it was stopped, not that it failed.
    expect(events.at(-1)?.message).toBe('Audit stopped after 1 request. Nothing was written; the previous report, if any, is kept.');
    expect(kept()).toBe(0);
  });
});
