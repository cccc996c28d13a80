import { describe, expect, it } from 'vitest';
import type { JobProgress } from '../../../preload/api/contract';
import { AppError } from '../../../main/errors/app-error';
import { JobCancelledError, JobRegistry } from '../../../main/jobs/job-registry';

function clockAt(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('job registry', () => {
  it('publishes progress with counts, rate and time left, then the final state', async () => {
    const events: JobProgress[] = [];
    const clock = clockAt();
    const jobs = new JobRegistry({ publish: (event) => events.push(event), now: clock.now, minIntervalMs: 0 });
    const { jobId, result } = jobs.start('import', async ({ report }) => {
      clock.advance(1000);
      report({ done: 50, total: 200, message: 'Checking rows' });
      clock.advance(1000);
      report({ done: 100 });
      return 'ok';
    });
    await expect(result).resolves.toBe('ok');
    const mid = events.find((event) => event.done === 100);
    expect(mid).toMatchObject({ jobId, total: 200, ratePerSecond: 50, secondsLeft: 2, state: 'running', message: 'Checking rows' });
    expect(events.at(-1)).toMatchObject({ state: 'succeeded', done: 100 });
    expect(jobs.list()).toEqual([]);
  });

  it('cancels a running job through its signal', async () => {
    const events: JobProgress[] = [];
    const jobs = new JobRegistry({ publish: (event) => events.push(event) });
    let processed = 0;
    const { jobId, result } = jobs.start('import', async ({ signal }) => {
      for (let i = 0; i < 1000; i++) {
        if (signal.aborted) throw new JobCancelledError();
        processed++;
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (i === 5) jobs.cancel(jobId);
      }
    });
    await expect(result).rejects.toBeInstanceOf(JobCancelledError);
    expect(processed).toBeLessThan(10);
    expect(events.at(-1)?.state).toBe('cancelled');
    expect(jobs.cancel(jobId)).toBe(false);
  });

  it('reports a failed job without crashing when nobody awaits it', async () => {
    const events: JobProgress[] = [];
    const jobs = new JobRegistry({ publish: (event) => events.push(event) });
    jobs.start('audit', async () => {
      throw new Error('boom');
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(events.at(-1)).toMatchObject({ state: 'failed' });
    expect(events.at(-1)?.message).not.toContain('boom');
  });

  it('says why a job failed when the error was written for the administrator', async () => {
    const events: JobProgress[] = [];
    const jobs = new JobRegistry({ publish: (event) => events.push(event) });
    const { result } = jobs.start('undo', async () => {
      throw new AppError('conflict', 'Someone changed this patient meanwhile; nothing was undone.');
    });
    await expect(result).rejects.toBeInstanceOf(AppError);
    expect(events.at(-1)).toMatchObject({ state: 'failed', message: 'Someone changed this patient meanwhile; nothing was undone.' });
  });

  it('coalesces bursts of progress events', async () => {
    const events: JobProgress[] = [];
    const clock = clockAt();
    const jobs = new JobRegistry({ publish: (event) => events.push(event), now: clock.now, minIntervalMs: 100 });
    await jobs.start('import', async ({ report }) => {
      for (let done = 1; done <= 1000; done++) {
        clock.advance(1);
        report({ done, total: 1000 });
      }
    }).result;
    expect(events.length).toBeLessThan(15);
    expect(events.at(-1)).toMatchObject({ state: 'succeeded', done: 1000 });
  });
});

describe('a job that belongs to a session', () => {
  it('is cancelled when its owner’s signal aborts, and says what it did before', async () => {
    const events: JobProgress[] = [];
    const registry = new JobRegistry({ publish: (progress) => events.push(progress), minIntervalMs: 0 });
    const session = new AbortController();
    let done = 0;
    const handle = registry.start(
      'owned',
      async (job) => {
        while (!job.signal.aborted && done < 1000) {
          done++;
          job.report({ done, total: 1000 });
          if (done === 3) session.abort();
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
        return done;
      },
      { cancelWhen: session.signal, describe: (count) => `${count} done` },
    );
    expect(await handle.result).toBe(3);
    expect(events.at(-1)).toMatchObject({ state: 'cancelled', done: 3, message: '3 done' });
    expect(registry.list()).toEqual([]);
  });

  it('never runs past an owner that had already ended', async () => {
    const registry = new JobRegistry({ publish: () => undefined });
    const ended = new AbortController();
    ended.abort();
    let sawAbort = false;
    await registry.start('late', async (job) => (sawAbort = job.signal.aborted), { cancelWhen: ended.signal }).result;
    expect(sawAbort).toBe(true);
  });
});
