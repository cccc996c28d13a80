import type { ErrorCode } from '../../preload/api/errors';

/**
 * An error a handler throws on purpose: its code and message reach the renderer as they are.
 * The message must be plain words for an administrator, with no secret and no patient detail.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: string,
    /** The form field the refusal concerns ("email", "npi", "mrn", "name"), when it concerns one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
