import { isLoopbackHost } from '../../preload/api/schemas/connection';

function withoutCredentials(parsed: URL): boolean {
  return parsed.username === '' && parsed.password === '';
}

/** Only https links leave the console for the system browser; anything else could run code. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && withoutCredentials(parsed);
  } catch {
    return false;
  }
}

/**
 * A server's sign-in page for browser sign-in: https, or plain http on this machine (a local
 * Medplum or the sandbox), the same rule as for a connection's address.
 */
export function isSafeSignInUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    if (!withoutCredentials(parsed)) return false;
    return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname));
  } catch {
    return false;
  }
}
