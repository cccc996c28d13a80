/**
 * A saved secret (refresh token, client secret) is only ever sent to the server, project, sign-in
 * method and client it was issued for. That identity is sealed into the keychain entry beside the
 * value, as a digest (no address is written to the keychain), and checked before every use: an
 * entry whose identity no longer matches the connection is refused, whatever edited the
 * connection and however the edit raced a sign-in.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Connection } from '../../preload/api/schemas/connection';

const sealedSchema = z.object({ v: z.literal(1), for: z.string().regex(/^[0-9a-f]{64}$/), value: z.string().min(1) }).strict();

function normalizedBaseUrl(url: string): string {
  const trimmed = url.trim();
  return trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

/** What a secret belongs to. The sign-in form's default email is not part of it. */
export function credentialIdentity(connection: Pick<Connection, 'baseUrl' | 'projectId' | 'signIn'>): string {
  const clientId = 'clientId' in connection.signIn ? (connection.signIn.clientId ?? '') : '';
  return JSON.stringify([normalizedBaseUrl(connection.baseUrl), connection.projectId?.trim() ?? '', connection.signIn.method, clientId]);
}

function digest(identity: string): string {
  return createHash('sha256').update(identity).digest('hex');
}

export function sealSecret(identity: string, value: string): string {
  return JSON.stringify({ v: 1, for: digest(identity), value });
}

/** The value, or null when the entry is not sealed for this identity (or not sealed at all). */
export function openSecret(stored: string, identity: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    return null;
  }
  const sealed = sealedSchema.safeParse(parsed);
  return sealed.success && sealed.data.for === digest(identity) ? sealed.data.value : null;
}
