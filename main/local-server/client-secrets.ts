import type { ClientApplication, Resource } from '@medplum/fhirtypes';
import { matchesDigest, secretDigest } from './secret-digest';

/** How a ClientApplication secret is kept: `sha256$<base64url digest>`. */
const SCHEME = 'sha256';

export function hashClientSecret(secret: string): string {
  return `${SCHEME}$${secretDigest(secret).toString('base64url')}`;
}

/** Equal-length digests compared in constant time, whatever the lengths of the two secrets. */
export function clientSecretMatches(given: string, storedHash: string): boolean {
  const [scheme, encoded] = storedHash.split('$');
  if (scheme !== SCHEME || !encoded) {
    return false;
  }
  return matchesDigest(given, Buffer.from(encoded, 'base64url'));
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
