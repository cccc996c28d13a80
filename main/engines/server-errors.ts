import { getStatus, isOperationOutcome, OperationOutcomeError } from '@medplum/core';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { AppError } from '../errors/app-error';

/** The HTTP status behind a MedplumClient error, when there is one. */
export function statusOf(err: unknown): number | undefined {
  const outcome = outcomeOf(err);
  if (!outcome) {
    return undefined;
  }
  const status = getStatus(outcome);
  if (status !== 400 || outcome.id) {
    return status;
  }
  // An outcome without a known id: fall back on the words Medplum uses.
  const text = outcome.issue?.[0]?.details?.text ?? '';
  return /precondition failed/i.test(text) ? 412 : /not found/i.test(text) ? 404 : status;
}

export function isPreconditionFailed(err: unknown): boolean {
  return statusOf(err) === 412;
}

export function isNotFoundError(err: unknown): boolean {
  return statusOf(err) === 404;
}

function outcomeOf(err: unknown): OperationOutcome | undefined {
  if (err instanceof OperationOutcomeError) {
    return err.outcome;
  }
  return isOperationOutcome(err) ? err : undefined;
}

/** A short technical line for the "Details" disclosure: status and the server's own words, no PHI. */
export function detailsOf(err: unknown): string {
  const outcome = outcomeOf(err);
  if (outcome) {
    const text = outcome.issue?.map((i) => i.details?.text ?? i.diagnostics ?? i.code).join('; ');
    return `HTTP ${getStatus(outcome)}: ${text}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** The server's own words for a refusal (the first issue's text), or '' when it gave none. */
export function serverWordsOf(err: unknown): string {
  const issue = outcomeOf(err)?.issue?.[0];
  return issue?.details?.text ?? issue?.diagnostics ?? '';
}

/**
 * Refusals the server words in a way we know, with the field they concern and what to do. Matched
 * on what the server said (Medplum's and our local server's wording agree), never on our own sentences.
 */
const KNOWN_REFUSALS: readonly { pattern: RegExp; code: 'conflict' | 'invalid_argument'; field: string; message: string }[] = [
  {
    pattern: /already a member of this project/i,
    code: 'conflict',
    field: 'email',
    message:
      'Someone with this email is already a member of this project. Open them from Clinicians to change their clinics instead of inviting them again.',
  },
];

/**
 * Turns a server error into the AppError the administrator reads: what happened and what to do.
 * `action` names the change in plain words ("enroll the clinician").
 */
export function toAppError(err: unknown, action: string): AppError {
  if (err instanceof AppError) {
    return err;
  }
  const status = statusOf(err);
  const details = detailsOf(err);
  const words = serverWordsOf(err);
  const known = words ? KNOWN_REFUSALS.find((refusal) => refusal.pattern.test(words)) : undefined;
  if (known) {
    return new AppError(known.code, known.message, details, known.field);
  }
  if (status === 401 || status === 403) {
    return new AppError(
      'forbidden',
      `The server refused to ${action} because your account is not allowed to. Ask a project administrator to check your membership.`,
      details
    );
  }
  // 410: the record was deleted (a deleted membership of the admin themself ends the session before this).
  if (status === 404 || status === 410) {
    return new AppError('not_found', `Could not ${action}: the record no longer exists on the server. Refresh the list and try again.`, details);
  }
  if (status === 409 || status === 412) {
    return new AppError('conflict', `Could not ${action}: someone changed the same record at the same time. Refresh and try again.`, details);
  }
  if (status === 429) {
    return new AppError('server_error', `The server is limiting how fast changes can be made, so it did not ${action}. Wait a minute and try again.`, details);
  }
  if (status === undefined) {
    return new AppError('network_error', `Could not ${action}: the server could not be reached. Check the connection and try again.`, details);
  }
  return new AppError('server_error', `The server could not ${action}. Try again; if it keeps failing, see Details.`, details);
}
