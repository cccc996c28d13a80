/** Time left is the larger of what the rate says and a floor the job knows of (an import: the quota). */
import { describe, expect, it } from 'vitest';
import type { JobProgress } from '../../../preload/api/contract';
import { JobRegistry } from '../../../main/jobs/job-registry';

describe('time left', () => {
  it('follows the rate, unless the job says it takes at least longer', async () => {
    let now = 0;
    const events: JobProgress[] = [];
    const jobs = new JobRegistry({ publish: (event) => events.push(event), now: () => now, minIntervalMs: 0 });
    let step: (() => void) | undefined;
    const { result } = jobs.start('import-roster', async (job) => {
      now = 10_000;
      job.report({ done: 100, total: 600 });
      job.report({ done: 100, total: 600, minSecondsLeft: 72 });
      job.report({ done: 100, total: 600, minSecondsLeft: 3 });
      await new Promise<void>((resolve) => (step = resolve));
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    // 100 in 10 s: 500 more take 50 s by the rate; the quota says at least 72.
    expect(events.slice(-3).map((event) => event.secondsLeft)).toEqual([50, 72, 50]);
    step?.();
    await result;
  });
});
