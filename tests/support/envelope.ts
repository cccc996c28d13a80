import type { Envelope } from '../../preload/api/contract';

/** The value of an ok envelope; a failed one fails the test with its code and message. */
export function unwrapOk<T>(envelope: Envelope<T>): T {
  if (!envelope.ok) throw new Error(`Expected ok, got ${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value;
}
