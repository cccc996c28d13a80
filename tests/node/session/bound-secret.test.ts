import { describe, expect, it } from 'vitest';
import { credentialIdentity, openSecret, sealSecret } from '../../../main/session/bound-secret';
import type { Connection } from '../../../preload/api/schemas/connection';

const connection: Pick<Connection, 'baseUrl' | 'projectId' | 'signIn'> = {
  baseUrl: 'https://api.example.org/',
  projectId: 'project-1',
  signIn: { method: 'authorization-code', clientId: 'client-1' },
};

describe('a secret sealed to what it was issued for', () => {
  it('opens for the same server, project, method and client, and for a trailing-slash or email difference', () => {
    const sealed = sealSecret(credentialIdentity(connection), 'token-value');
    expect(openSecret(sealed, credentialIdentity(connection))).toBe('token-value');
    expect(openSecret(sealed, credentialIdentity({ ...connection, baseUrl: 'https://api.example.org' }))).toBe('token-value');
    const password = sealSecret(credentialIdentity({ ...connection, signIn: { method: 'password' } }), 'p');
    expect(openSecret(password, credentialIdentity({ ...connection, signIn: { method: 'password', email: 'a@example.org' } }))).toBe('p');
  });

  it('does not open for another server, project, method or client', () => {
    const sealed = sealSecret(credentialIdentity(connection), 'token-value');
    for (const other of [
      { ...connection, baseUrl: 'https://evil.example/' },
      { ...connection, projectId: 'project-2' },
      { ...connection, projectId: undefined },
      { ...connection, signIn: { method: 'password' as const } },
      { ...connection, signIn: { method: 'authorization-code' as const, clientId: 'client-2' } },
    ]) {
      expect(openSecret(sealed, credentialIdentity(other))).toBeNull();
    }
  });

  it('refuses entries that were never sealed, or were tampered with', () => {
    expect(openSecret('a-bare-refresh-token', credentialIdentity(connection))).toBeNull();
    const sealed = JSON.parse(sealSecret(credentialIdentity(connection), 'v')) as { for: string };
    expect(openSecret(JSON.stringify({ ...sealed, extra: 1 }), credentialIdentity(connection))).toBeNull();
    expect(openSecret(JSON.stringify({ v: 1, for: 'x', value: 'v' }), credentialIdentity(connection))).toBeNull();
  });

  it('keeps no address in the keychain entry', () => {
    expect(sealSecret(credentialIdentity(connection), 'v')).not.toContain('example.org');
  });
});
