/**
 * One change per item (a person), a few at once, paced by the server's quota and retried on
 * faults: what the import's changes of existing people and the clinic page's bulk enrollment
 * both run. An item that has started is finished even when cancelled, so no person is left
 * half-changed; a cancel only stops new ones from starting.
 */
import type { QuotaPacer } from './quota-pacer';
import { runPool } from './run-pool';
import { withRetries } from './with-retries';

export type ItemOutcome<T> = { readonly item: T; readonly ok: true } | { readonly item: T; readonly ok: false; readonly error: unknown };

export interface PacedEachOptions<T> {
  readonly pacer: QuotaPacer;
  /** Items in flight at once. */
  readonly concurrency: number;
  /** The points one item spends at least, reserved before it starts. */
  readonly points: (item: T) => number;
  readonly signal?: AbortSignal | undefined;
}

export async function pacedEach<T>(
  items: readonly T[],
  options: PacedEachOptions<T>,
  work: (item: T) => Promise<void>,
  onOutcome: (outcome: ItemOutcome<T>) => Promise<void> | void,
): Promise<void> {
  const { pacer, signal } = options;
  await runPool(
    items,
    options.concurrency,
    async (item) => {
      const points = options.points(item);
      try {
        await pacer.reserve(points, signal);
      } catch (error) {
        // Cancelled while waiting for the quota: this item never started.
        if (signal?.aborted) return;
        throw error;
      }
      let outcome: ItemOutcome<T>;
      try {
        if (signal?.aborted) return;
        // No signal for the retries: a started change is carried to its end.
        await withRetries(() => work(item));
        outcome = { item, ok: true };
      } catch (error) {
        outcome = { item, ok: false, error };
      } finally {
        pacer.done(points);
      }
      await onOutcome(outcome);
    },
    signal,
  );
}
