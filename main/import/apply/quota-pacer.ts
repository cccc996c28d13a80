/**
 * Paces writes from the server's `RateLimit` header ("fhirInteractions";r=<points left>;t=<s>),
 * which MedplumClient keeps from its last response: when the points left cannot pay for what is
 * about to go out, wait for the window to reset instead of running into 429s.
 */
import type { MedplumClient } from '@medplum/core';

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const sleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });

export interface QuotaState {
  /** Points left in the window, as the server last said; undefined before any answer. */
  readonly pointsLeft: number | undefined;
  readonly secondsToReset: number | undefined;
  /** Total time spent waiting for the quota. */
  readonly waitedMs: number;
}

export class QuotaPacer {
  private reserved = 0;
  private waitedMs = 0;

  constructor(
    private readonly client: MedplumClient,
    private readonly wait: Sleep = sleep,
  ) {}

  private status(): { remainingUnits: number; secondsUntilReset: number } | undefined {
    try {
      return this.client.rateLimitStatus().find((limit) => limit.name === 'fhirInteractions');
    } catch {
      return undefined;
    }
  }

  /** Waits until `points` can be spent; call `done(points)` when the request has its answer. */
  async reserve(points: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const status = this.status();
      if (!status || status.remainingUnits - this.reserved >= points) break;
      const ms = (status.secondsUntilReset + 1) * 1000;
      this.waitedMs += ms;
      await this.wait(ms, signal);
      // After the reset the header is stale until the next answer: go ahead with one request.
      if (this.reserved === 0) break;
    }
    this.reserved += points;
  }

  done(points: number): void {
    this.reserved = Math.max(0, this.reserved - points);
  }

  state(): QuotaState {
    const status = this.status();
    return { pointsLeft: status?.remainingUnits, secondsToReset: status?.secondsUntilReset, waitedMs: this.waitedMs };
  }
}
