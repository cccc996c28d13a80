import { OperationOutcomeError, tooManyRequests } from '@medplum/core';

export interface WriteQuotaOptions {
  /** Points a membership may spend per window (hosted Medplum: about 500 writes a minute). */
  readonly pointsPerWindow: number;
  /** Window length; one minute unless a test wants a shorter one. */
  readonly windowSeconds?: number;
  /** Points per interaction; defaults match hosted Medplum. */
  readonly costs?: Partial<InteractionCosts>;
}

export interface InteractionCosts {
  /** A read or vread; reading n references at once costs n. */
  readonly read: number;
  /** An instance history read. */
  readonly history: number;
  readonly search: number;
  readonly write: number;
}

// Medplum 5.0's fhirquota.ts: recordRead 1 (n for n references), recordHistory 10, recordSearch 20, recordWrite 100.
const DEFAULT_COSTS: InteractionCosts = { read: 1, history: 10, search: 20, write: 100 };

export interface QuotaStatus {
  readonly limit: number;
  readonly remaining: number;
  readonly resetSeconds: number;
  readonly windowSeconds: number;
}

interface Window {
  startedAt: number;
  used: number;
}

/** Per-membership point budgets in fixed windows, like the hosted server's fhirInteractions quota. */
export class WriteQuotaLedger {
  private readonly windows = new Map<string, Window>();
  readonly costs: InteractionCosts;
  private readonly windowMs: number;

  constructor(
    private readonly options: WriteQuotaOptions,
    private readonly now: () => number = Date.now
  ) {
    this.costs = { ...DEFAULT_COSTS, ...options.costs };
    this.windowMs = (options.windowSeconds ?? 60) * 1000;
  }

  /** Spends points for one interaction, or throws a 429 when the budget would be exceeded. */
  charge(membershipId: string, points: number): void {
    const window = this.currentWindow(membershipId);
    if (window.used + points > this.options.pointsPerWindow) {
      window.used = this.options.pointsPerWindow;
      throw new OperationOutcomeError(tooManyRequests);
    }
    window.used += points;
  }

  status(membershipId: string): QuotaStatus {
    const window = this.currentWindow(membershipId);
    return {
      limit: this.options.pointsPerWindow,
      remaining: Math.max(0, this.options.pointsPerWindow - window.used),
      resetSeconds: Math.max(1, Math.ceil((window.startedAt + this.windowMs - this.now()) / 1000)),
      windowSeconds: this.windowMs / 1000,
    };
  }

  private currentWindow(membershipId: string): Window {
    const now = this.now();
    let window = this.windows.get(membershipId);
    if (!window || now - window.startedAt >= this.windowMs) {
      window = { startedAt: now, used: 0 };
      this.windows.set(membershipId, window);
    }
    return window;
  }
}

/** The header Medplum's fhirquota.ts sends (IETF RateLimit draft form; no RateLimit-Policy). */
export function rateLimitHeaders(status: QuotaStatus): Record<string, string> {
  return { RateLimit: `"fhirInteractions";r=${status.remaining};t=${status.resetSeconds}` };
}
