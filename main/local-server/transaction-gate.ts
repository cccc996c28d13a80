/**
 * Lets ordinary requests run side by side but gives an atomic transaction the store to itself:
 * its rollback restores a snapshot, which must not wipe out writes made meanwhile by others.
 */
export class TransactionGate {
  private readonly inFlight = new Set<Promise<unknown>>();
  private exclusiveTail: Promise<void> = Promise.resolve();

  async shared<T>(work: () => Promise<T>): Promise<T> {
    // Wait until no exclusive section is pending; re-check because one may start while we wait.
    for (;;) {
      const tail = this.exclusiveTail;
      await tail;
      if (tail === this.exclusiveTail) {
        break;
      }
    }
    const running = work();
    this.inFlight.add(running);
    try {
      return await running;
    } finally {
      this.inFlight.delete(running);
    }
  }

  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.exclusiveTail;
    let release: () => void = () => undefined;
    const mine = new Promise<void>((resolve) => (release = resolve));
    this.exclusiveTail = previous.then(() => mine);
    await previous;
    while (this.inFlight.size > 0) {
      await Promise.allSettled([...this.inFlight]);
    }
    try {
      return await work();
    } finally {
      release();
    }
  }
}
