import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * SHA-256 of a random secret (client secret, code, refresh secret). Such secrets are long and
 * random, so a plain digest is enough to keep them, unlike passwords (scrypt in passwords.ts).
 */
export function secretDigest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Compares digests (always 32 bytes) in constant time, so timing says nothing about the secret. */
export function matchesDigest(given: string, expected: Buffer): boolean {
  const actual = secretDigest(given);
  return expected.length === actual.length && timingSafeEqual(actual, expected);
}
