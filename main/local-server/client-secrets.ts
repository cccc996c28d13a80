import { createHash, timingSafeEqual } from 'node:crypto';
import type { ClientApplication, Resource } from '@medplum/fhirtypes';

/**
 * ClientApplication secrets are random and long, so a plain SHA-256 is enough to keep them
 * (unlike passwords, which get scrypt): `sha256$<base64url digest>`.
 */
const SCHEME = 'sha256';

export function hashClientSecret(secret: string): string {
  return `${SCHEME}$${digest(secret).toString('base64url')}`;
}

/** Compares equal-length digests in constant time, whatever the lengths of the two secrets. */
export function clientSecretMatches(given: string, storedHash: string): boolean {
  const [scheme, encoded] = storedHash.split('$');
  if (scheme !== SCHEME || !encoded) {
    return false;
  }
  const expected = Buffer.from(encoded, 'base64url');
  const actual = digest(given);
  return expected.length === actual.length && timingSafeEqual(actual, expected);
}

/**
 * Resources as they may be written to disk: every ClientApplication without its `secret`, and
 * the hashes of the secrets taken out (merged over `known`, for clients that still exist).
 */
export function withoutClientSecrets(
  resources: readonly Resource[],
  known: ReadonlyMap<string, string>
): { resources: Resource[]; clientSecretHashes: Record<string, string> } {
  const clientSecretHashes: Record<string, string> = {};
  const kept = resources.map((resource) => {
    if (resource.resourceType !== 'ClientApplication' || !resource.id) {
      return resource;
    }
    const { secret, ...rest } = resource as ClientApplication;
    const hash = secret ? hashClientSecret(secret) : known.get(resource.id);
    if (hash) {
      clientSecretHashes[resource.id] = hash;
    }
    return rest as Resource;
  });
  return { resources: kept, clientSecretHashes };
}

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}
