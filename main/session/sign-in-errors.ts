/**
 * Turns what a Medplum server answered during sign-in into plain words for an administrator.
 * Only the status and the server's own outcome text go into the details; never a credential.
 */
import { OperationOutcomeError, getStatus, normalizeErrorString } from '@medplum/core';
import { AppError } from '../errors/app-error';

export function describeSignInError(error: unknown, baseUrl: string): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof OperationOutcomeError) {
    const status = getStatus(error.outcome);
    const text = normalizeErrorString(error.outcome);
    const details = `HTTP ${status}: ${text}`;
    if (/user not found/i.test(text)) {
      return new AppError(
        'not_signed_in',
        'No user with that email was found. A clinician or administrator invited to one project can only sign in with that project: check the Project ID of this connection.',
        details,
      );
    }
    if (/password|email/i.test(text)) {
      return new AppError('not_signed_in', 'The email or password is not right. Check them and try again.', details);
    }
    if (status === 403) {
      return new AppError('not_signed_in', 'The server refused the sign-in for this account. Ask a project administrator to check its access.', details);
    }
    if (status >= 500) {
      return new AppError('server_error', `The Medplum server at ${baseUrl} had a problem. Try again in a few minutes.`, details);
    }
    return new AppError('not_signed_in', `The server refused the sign-in (${text}).`, details);
  }
  if (error instanceof TypeError) {
    return new AppError('network_error', `Could not reach ${baseUrl}. Check the address and your network connection, then try again.`);
  }
  return new AppError('internal', 'Signing in failed for an unexpected reason. Try again; if it keeps happening, tell your IT team.');
}
