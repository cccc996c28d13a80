/**
 * Where credentials live: the OS keychain in the app, memory in unit tests. Accounts are
 * named `<connectionId>:<kind>` so that removing a connection can remove all of its secrets.
 */
export type SecretKind = 'refresh-token' | 'client-secret';

export interface SecretStore {
  get(connectionId: string, kind: SecretKind): Promise<string | null>;
  set(connectionId: string, kind: SecretKind, value: string): Promise<void>;
  delete(connectionId: string, kind: SecretKind): Promise<boolean>;
}

export function secretAccount(connectionId: string, kind: SecretKind): string {
  return `${connectionId}:${kind}`;
}

export async function deleteAllSecrets(store: SecretStore, connectionId: string): Promise<void> {
  await store.delete(connectionId, 'refresh-token');
  await store.delete(connectionId, 'client-secret');
}
