/**
 * Every keychain write and delete of the session goes through one queue, in order. A write says
 * whether it is still wanted when its turn comes, so a token from a sign-in that was cancelled,
 * signed out or superseded meanwhile never lands after the delete that ended it.
 */
import type { Logger } from '../logging/logger';
import { type SecretKind, type SecretStore, deleteAllSecrets } from '../secrets/secret-store';

export class KeychainQueue {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: SecretStore,
    private readonly logger: Logger,
  ) {}

  private enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.tail.then(operation);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Waits for everything queued so far. */
  settled(): Promise<void> {
    return this.tail.then(() => undefined);
  }

  write(connectionId: string, kind: SecretKind, value: string, stillWanted: () => boolean): Promise<void> {
    return this.enqueue(async () => {
      if (!stillWanted()) return;
      try {
        await this.store.set(connectionId, kind, value);
      } catch {
        this.logger.warn('session.keychain_write_failed', { connectionId, kind });
      }
    });
  }

  /** Deletes the entry only if it still holds what the caller read: a newer one is kept. */
  deleteIfUnchanged(connectionId: string, kind: SecretKind, expected: string): Promise<void> {
    return this.enqueue(async () => {
      if ((await this.store.get(connectionId, kind)) === expected) await this.store.delete(connectionId, kind);
    });
  }

  delete(connectionId: string, kind: SecretKind): Promise<void> {
    return this.enqueue(async () => {
      await this.store.delete(connectionId, kind);
    });
  }

  deleteAll(connectionId: string): Promise<void> {
    return this.enqueue(() => deleteAllSecrets(this.store, connectionId));
  }
}
