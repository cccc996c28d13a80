import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof crypto>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const { clientSecretMatches, hashClientSecret } = await import('../../../main/local-server/client-secrets');

describe('client secret comparison', () => {
  it('compares equal-length digests with timingSafeEqual, whatever the lengths of the secrets', () => {
    const spy = vi.mocked(crypto.timingSafeEqual);
    const stored = hashClientSecret('the-right-secret-with-some-length-0123456789');
    spy.mockClear();
    expect(clientSecretMatches('short', stored)).toBe(false);
    expect(clientSecretMatches('the-right-secret-with-some-length-0123456789', stored)).toBe(true);
    expect(clientSecretMatches('the-right-secret-with-some-length-012345678X', stored)).toBe(false);
    expect(spy).toHaveBeenCalledTimes(3);
    for (const [a, b] of spy.mock.calls) {
      expect((a as Buffer).length).toBe(32);
      expect((b as Buffer).length).toBe(32);
    }
  });

  it('keeps only a digest: the hash does not contain the secret', () => {
    const secret = 'abcdefghijklmnopqrstuvwxyz012345';
    const stored = hashClientSecret(secret);
    expect(stored).toMatch(/^sha256\$[A-Za-z0-9_-]{43}$/);
    expect(stored).not.toContain(secret);
    expect(clientSecretMatches(secret, 'plain$' + secret)).toBe(false);
  });
});
