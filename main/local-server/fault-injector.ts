import { mulberry32 } from './prng';

export interface FaultInjectionOptions {
  /** Seed of the PRNG: the same seed and the same sequence of requests give the same faults. */
  readonly seed: number;
  /** Added latency per request: a fixed number of ms, or a [min, max] range drawn from the PRNG. */
  readonly latencyMs?: number | readonly [number, number];
  /** Share (0..1) of requests answered with 500. */
  readonly errorRate?: number;
  /** Share (0..1) of requests answered with 429. */
  readonly rateLimitRate?: number;
  /** Share (0..1) of requests whose connection is destroyed without an answer. */
  readonly dropRate?: number;
  /** Which requests may be faulted; by default FHIR and admin calls, never sign-in. */
  readonly appliesTo?: (method: string, path: string) => boolean;
}

export type FaultAction = 'none' | 'error500' | 'error429' | 'drop';

export interface FaultDecision {
  readonly sequence: number;
  readonly method: string;
  readonly path: string;
  readonly latencyMs: number;
  readonly action: FaultAction;
}

const defaultAppliesTo = (_method: string, path: string): boolean =>
  path.startsWith('fhir/') || path.startsWith('admin/');

/**
 * Decides, request by request, what fault to inject. Each decision draws the same number of
 * values from the PRNG whatever the outcome, so the schedule depends only on the seed and the
 * order of requests.
 */
export class FaultInjector {
  private readonly random: () => number;
  private readonly decisions: FaultDecision[] = [];

  constructor(private readonly options: FaultInjectionOptions) {
    this.random = mulberry32(options.seed);
  }

  decide(method: string, path: string): FaultDecision {
    if (!(this.options.appliesTo ?? defaultAppliesTo)(method, path)) {
      return { sequence: -1, method, path, latencyMs: 0, action: 'none' };
    }
    const latencyDraw = this.random();
    const actionDraw = this.random();
    const decision: FaultDecision = {
      sequence: this.decisions.length,
      method,
      path,
      latencyMs: this.latencyFor(latencyDraw),
      action: this.actionFor(actionDraw),
    };
    this.decisions.push(decision);
    return decision;
  }

  /** Every decision so far, in order: what a test compares between two runs with one seed. */
  history(): readonly FaultDecision[] {
    return this.decisions;
  }

  private latencyFor(draw: number): number {
    const latency = this.options.latencyMs;
    if (latency === undefined) {
      return 0;
    }
    if (typeof latency === 'number') {
      return latency;
    }
    const [min, max] = latency;
    return Math.round(min + draw * (max - min));
  }

  private actionFor(draw: number): FaultAction {
    const drop = this.options.dropRate ?? 0;
    const error = this.options.errorRate ?? 0;
    const limited = this.options.rateLimitRate ?? 0;
    if (draw < drop) {
      return 'drop';
    }
    if (draw < drop + error) {
      return 'error500';
    }
    if (draw < drop + error + limited) {
      return 'error429';
    }
    return 'none';
  }
}
