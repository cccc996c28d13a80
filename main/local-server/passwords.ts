import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

// A low scrypt cost: this is a loopback sandbox and seeding a dozen users must stay fast.
const SCRYPT_COST = 1 << 12;
const KEY_LENGTH = 32;

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, KEY_LENGTH, { N: SCRYPT_COST });
  return `scrypt$${salt.toString('base64')}$${key.toString('base64')}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [scheme, saltText, keyText] = stored.split('$');
  if (scheme !== 'scrypt' || !saltText || !keyText) {
    return false;
  }
  const expected = Buffer.from(keyText, 'base64');
  const actual = scryptSync(password, Buffer.from(saltText, 'base64'), expected.length, { N: SCRYPT_COST });
  return timingSafeEqual(actual, expected);
}

export function generateSecret(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}
