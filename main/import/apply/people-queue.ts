/**
 * People handed from the look-ups to the creates as each look-up answers, so that the first
 * batches go out while the rest of the file is still being looked up. Takers wait for a full
 * batch (or the end), so batches stay as full as when the whole plan came first.
 */
export class PeopleQueue<T> {
  private readonly items: T[] = [];
  private ended = false;
  private failure: { readonly error: unknown } | undefined;
  private waiters: (() => void)[] = [];

  /** A queue of people known up front (the whole plan came first). */
  static of<T>(items: readonly T[]): PeopleQueue<T> {
    const queue = new PeopleQueue<T>();
    queue.push(items);
    queue.end();
    return queue;
  }

  push(items: readonly T[]): void {
    for (const item of items) this.items.push(item);
    if (this.items.length) this.wake();
  }

  /** No more will come. */
  end(): void {
    this.ended = true;
    this.wake();
  }

  /** The look-ups failed: takers get the error, not a short list. */
  fail(error: unknown): void {
    this.failure ??= { error };
    this.end();
  }

  /** Up to `most`, once that many are there or no more will come; [] when all have been taken. */
  async take(most: number, signal?: AbortSignal): Promise<T[]> {
    while (this.items.length < most && !this.ended) {
      signal?.throwIfAborted();
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal?.removeEventListener('abort', wake);
          resolve();
        };
        this.waiters.push(wake);
        signal?.addEventListener('abort', wake, { once: true });
      });
    }
    signal?.throwIfAborted();
    if (this.failure) throw this.failure.error;
    return this.items.splice(0, most);
  }

  /** People taken but not sent (the quota paid for fewer): they go first in the next batch. */
  putBack(items: readonly T[]): void {
    this.items.unshift(...items);
    if (items.length) this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
