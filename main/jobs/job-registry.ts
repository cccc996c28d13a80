/**
 * Runs long jobs (imports, audits, repairs) off the request path: each gets an id, reports
 * progress as events with counts, rate and time left, and can be cancelled through its
 * AbortSignal. The registry knows nothing of Electron; main wires `publish` to the window.
 */
import { randomUUID } from 'node:crypto';
import type { JobProgress, JobState } from '../../preload/api/contract';
import { AppError } from '../errors/app-error';

export interface JobContext {
  signal: AbortSignal;
  /**
   * Report how far the job is; `message` is plain words with no row values. `minSecondsLeft` is a
   * floor the job knows of (an import: what the server's quota still allows), for time left.
   */
  report(progress: { done: number; total?: number | null; message?: string; minSecondsLeft?: number }): void;
}

export type JobRunner<T> = (context: JobContext) => Promise<T>;

export interface JobOptions<T> {
  /** The closing message from the result (plain words, no row values). */
  describe?: (result: T) => string;
  /** The closing message of a failed job (plain words, no row values); a generic one without it. */
  describeFailure?: (error: unknown) => string;
  /** Cancels the job when it aborts: a job belongs to the session that started it. */
  cancelWhen?: AbortSignal;
}

export interface JobHandle<T> {
  jobId: string;
  result: Promise<T>;
}

export class JobCancelledError extends Error {
  constructor() {
    super('The job was cancelled.');
    this.name = 'JobCancelledError';
  }
}

interface RunningJob {
  controller: AbortController;
  progress: JobProgress;
}

export interface JobRegistryOptions {
  publish: (progress: JobProgress) => void;
  now?: () => number;
  /** Progress events closer together than this are coalesced (the final state always goes out). */
  minIntervalMs?: number;
}

export class JobRegistry {
  private readonly jobs = new Map<string, RunningJob>();
  private readonly now: () => number;
  private readonly minIntervalMs: number;

  constructor(private readonly options: JobRegistryOptions) {
    this.now = options.now ?? Date.now;
    this.minIntervalMs = options.minIntervalMs ?? 100;
  }

  start<T>(kind: string, run: JobRunner<T>, options: JobOptions<T> = {}): JobHandle<T> {
    const jobId = randomUUID();
    const controller = new AbortController();
    const startedAt = this.now();
    let lastPublished = Number.NEGATIVE_INFINITY;
    const job: RunningJob = {
      controller,
      progress: { jobId, kind, state: 'running', done: 0, total: null, ratePerSecond: null, secondsLeft: null, message: '' },
    };
    this.jobs.set(jobId, job);

    const update = (patch: Partial<JobProgress>, force: boolean) => {
      job.progress = { ...job.progress, ...patch };
      const at = this.now();
      if (force || at - lastPublished >= this.minIntervalMs) {
        lastPublished = at;
        this.options.publish(job.progress);
      }
    };

    // Reports after a cancel still count: the final state must say what was really done.
    const report: JobContext['report'] = ({ done, total, message, minSecondsLeft }) => {
      const elapsedSeconds = (this.now() - startedAt) / 1000;
      const knownTotal = total === undefined ? job.progress.total : total;
      const rate = elapsedSeconds > 0 && done > 0 ? done / elapsedSeconds : null;
      const byRate = rate && knownTotal !== null ? Math.max(0, (knownTotal - done) / rate) : null;
      const secondsLeft = minSecondsLeft === undefined ? byRate : Math.max(byRate ?? 0, minSecondsLeft);
      // The first word of the total goes out at once; later counts are coalesced.
      const totalChanged = knownTotal !== job.progress.total;
      update({ done, total: knownTotal, ratePerSecond: rate, secondsLeft, message: message ?? job.progress.message }, totalChanged);
    };

    const finish = (state: JobState, message: string) => {
      options.cancelWhen?.removeEventListener('abort', cancelWithOwner);
      update({ state, secondsLeft: state === 'succeeded' ? 0 : null, message }, true);
      this.jobs.delete(jobId);
    };

    const cancelWhen = options.cancelWhen;
    const cancelWithOwner = () => controller.abort();
    if (cancelWhen?.aborted) controller.abort();
    cancelWhen?.addEventListener('abort', cancelWithOwner, { once: true });

    update({}, true);
    const result = (async () => {
      try {
        const value = await run({ signal: controller.signal, report });
        const closing = options.describe?.(value) ?? (job.progress.message || 'Done.');
        if (controller.signal.aborted) {
          // The runner stopped between items: say what it managed before the stop.
          finish('cancelled', closing);
          return value;
        }
        finish('succeeded', closing);
        return value;
      } catch (error) {
        if (controller.signal.aborted) {
          finish('cancelled', 'Cancelled.');
          throw new JobCancelledError();
        }
        // An AppError's message is written for the administrator (no secret, no PHI): it says why.
        finish('failed', options.describeFailure?.(error) ?? (error instanceof AppError ? error.message : 'The job stopped with an error.'));
        throw error;
      }
    })();
    // The caller may only watch events; an unobserved failure must not crash main.
    result.catch(() => undefined);
    return { jobId, result };
  }

  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job) return false;
    job.controller.abort();
    return true;
  }

  list(): JobProgress[] {
    return [...this.jobs.values()].map((job) => job.progress);
  }
}
