import { type SecretKind, type SecretStore, secretAccount } from './secret-store';

/** For unit tests and the command line's --no-keychain dry runs: nothing leaves the process. */
export class MemorySecretStore implements SecretStore {
  private readonly values = new Map<string, string>();

  async get(connectionId: string, kind: SecretKind): Promise<string | null> {
    return this.values.get(secretAccount(connectionId, kind)) ?? null;
  }

  async set(connectionId: string, kind: SecretKind, value: string): Promise<void> {
    this.values.set(secretAccount(connectionId, kind), value);
  }

  async delete(connectionId: string, kind: SecretKind): Promise<boolean> {
    return this.values.delete(secretAccount(connectionId, kind));
  }
}
