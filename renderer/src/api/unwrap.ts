import type { Envelope, IpcError } from '../../../preload/api/contract';

/** A failed call to main, with the code and plain-words message main chose. */
export class ApiError extends Error {
  readonly code: IpcError['code'];
  readonly details: string | undefined;

  constructor(error: IpcError) {
    super(error.message);
    this.name = 'ApiError';
    this.code = error.code;
    this.details = error.details;
  }
}

export function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value;
  throw new ApiError(envelope.error);
}
