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
  /** Time during which some request waited for the quota (ms, wall clock). */
  readonly waitedMs: number;
}

/** How often a request waiting behind the one that learns the new budget looks again. */
const STALE_POLL_MS = 50;

interface Observed {
  readonly remainingUnits: number;
  /** When the header's window is over at the latest (ms, from when the header was first seen). */
  readonly endsAt: number;
}

export class QuotaPacer {
  private reserved = 0;
  private waitedMs = 0;
  private waiters = 0;
  private waitingSince = 0;
  private lastHeader: string | undefined;
  private lastSeenAt = 0;

  constructor(
    private readonly client: MedplumClient,
    private readonly wait: Sleep = sleep,
    private readonly now: () => number = Date.now,
  ) {}

  private status(): { remainingUnits: number; secondsUntilReset: number } | undefined {
    try {
      return this.client.rateLimitStatus().find((limit) => limit.name === 'fhirInteractions');
    } catch {
      return undefined;
    }
  }

  /**
   * The last header, stamped with when it was first seen (each answer's header differs: every
   * request spends points): its window ends at that time plus its `t`, however late it is read.
   */
  private observe(): Observed | undefined {
    const status = this.status();
    if (!status) return undefined;
    const header = `${status.remainingUnits};${status.secondsUntilReset}`;
    if (header !== this.lastHeader) {
      this.lastHeader = header;
      this.lastSeenAt = this.now();
    }
    return { remainingUnits: status.remainingUnits, endsAt: this.lastSeenAt + status.secondsUntilReset * 1000 };
  }

  /** Waits until `points` can be spent; call `done(points)` when the request has its answer. */
  async reserve(points: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const status = this.observe();
      if (!status) break;
      if (this.now() >= status.endsAt) {
        // The window has reset since this header came: one request goes ahead to learn the new
        // budget, the others wait for its answer (not for another whole window).
        if (this.reserved === 0) break;
        await this.timed(STALE_POLL_MS, signal);
        continue;
      }
      if (status.remainingUnits - this.reserved >= points) break;
      // A second past the window's end: the server's `t` is rounded.
      await this.timed(Math.max(STALE_POLL_MS, status.endsAt + 1000 - this.now()), signal);
    }
    this.reserved += points;
  }

  /**
   * Waits until at least one `unit` can be spent, then reserves as many as the window still pays
   * for, at most `most` (all of them when the server has not said yet), and returns how many: the
   * end of a window is spent on a smaller batch instead of left unused.
   */
  async reserveUpTo(unit: number, most: number, signal?: AbortSignal): Promise<number> {
    await this.reserve(unit, signal);
    const status = this.observe();
    const left = status && this.now() < status.endsAt ? status.remainingUnits - this.reserved : Number.POSITIVE_INFINITY;
    const extra = Math.max(0, Math.min(most - 1, Math.floor(left / unit)));
    this.reserved += extra * unit;
    return 1 + extra;
  }

  /** Waits, counting the time during which anyone waits once however many wait together. */
  private async timed(ms: number, signal: AbortSignal | undefined): Promise<void> {
    if (this.waiters++ === 0) this.waitingSince = this.now();
    try {
      await this.wait(ms, signal);
    } finally {
      if (--this.waiters === 0) this.waitedMs += this.now() - this.waitingSince;
    }
  }

  done(points: number): void {
    // Called as an answer comes: its header is stamped now.
    this.observe();
    this.reserved = Math.max(0, this.reserved - points);
  }

  state(): QuotaState {
    const status = this.status();
    return { pointsLeft: status?.remainingUnits, secondsToReset: status?.secondsUntilReset, waitedMs: this.waitedMs };
  }
}
