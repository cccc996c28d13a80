import type { WithId } from '@medplum/core';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { AppError } from '../errors/app-error';
import type { AccountDelta } from './account-delta';
import { sameAccounts, withAccountsMeta } from './account-delta';
import { accountsOf, planPatientWrite } from './account-plan';
import type { EngineContext } from './engine-context';
import { fresh } from './engine-context';
import { statusOf, toAppError } from './server-errors';

/** Compare-and-swap rounds before giving up: enough for a handful of administrators at once. */
export const MAX_WRITE_ATTEMPTS = 12;

export interface PatientAccountsWrite {
  /** The patient as stored afterwards (ours, or the current version when nothing was written). */
  readonly patient: WithId<Patient>;
  readonly written: boolean;
  /** The accounts of the version this write replaced (the patient's when nothing was written). */
  readonly previous: readonly string[];
  /** Rounds taken; more than one means another writer got in first and we decided again. */
  readonly attempts: number;
}

/**
 * Applies `delta` to the patient's accounts as a compare-and-swap: read the current version,
 * decide the whole new list from it, and `PUT` the patient with `If-Match` on that version.
 * Medplum checks the version inside the write's transaction (412, or 409 when its serialization
 * retry runs out), so a write can only land on the version it was computed from: no concurrent
 * writer's change is overwritten, whatever order the server records versions in. On a refusal we
 * read again, from the database (a plain read may come from the server's cache), and decide again.
 */
export async function writePatientAccounts(ctx: EngineContext, patientId: string, delta: AccountDelta): Promise<PatientAccountsWrite> {
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    const current = attempt === 1 ? await readPatient(ctx, patientId) : await readPatientFromDatabase(ctx, patientId);
    const plan = planPatientWrite(accountsOf(current), delta);
    if (!plan.changed) {
      return { patient: current, written: false, previous: referencesOf(current), attempts: attempt };
    }
    const versionId = current.meta?.versionId;
    if (!versionId) {
      throw new AppError('server_error', 'The server did not say which version of the patient it holds, so the change was not made.');
    }
    try {
      const patient = await ctx.client.updateResource<Patient>(
        { ...current, meta: withAccountsMeta(current.meta, plan.target) },
        { headers: { 'If-Match': `W/"${versionId}"` } }
      );
      if (!sameAccounts(accountsOf(patient), plan.target)) {
        // Medplum keeps the stored accounts when the writer may not set them (not a project
        // admin, or no `X-Medplum: extended`): the write "succeeds" and changes nothing.
        throw new AppError(
          'forbidden',
          'The server did not accept the change of clinics: only a project administrator can change which clinics a patient belongs to.'
        );
      }
      return { patient: patient as WithId<Patient>, written: true, previous: referencesOf(current), attempts: attempt };
    } catch (err) {
      if (!isLostRace(err)) {
        throw toAppError(err, 'change the patient’s clinics');
      }
      ctx.logger?.info('patient.accounts_retry', { patient: `Patient/${patientId}`, attempt });
      await backoff(attempt);
    }
  }
  throw new AppError('conflict', 'The patient’s clinics kept changing while we tried. Wait a moment, check the patient and try again.');
}

/** 412: someone wrote first. 409: the server's own transaction retry lost to a concurrent write. */
function referencesOf(patient: Patient): string[] {
  return accountsOf(patient).flatMap((a) => (a.reference ? [a.reference] : []));
}

export function isLostRace(err: unknown): boolean {
  const status = statusOf(err);
  return status === 412 || status === 409;
}

export async function readPatient(ctx: EngineContext, patientId: string): Promise<WithId<Patient>> {
  try {
    return await ctx.client.readResource('Patient', patientId, fresh());
  } catch (err) {
    throw toAppError(err, 'read the patient');
  }
}

/**
 * The patient as the database holds it. Medplum answers a read from its Redis cache, which two
 * writes finishing out of order can leave one version behind; a search always asks the database.
 */
export async function readPatientFromDatabase(ctx: EngineContext, patientId: string): Promise<WithId<Patient>> {
  let bundle: Bundle<WithId<Patient>>;
  try {
    bundle = await ctx.client.search('Patient', { _id: patientId }, fresh());
  } catch (err) {
    throw toAppError(err, 'read the patient');
  }
  const patient = bundle.entry?.[0]?.resource;
  if (!patient) {
    throw new AppError('not_found', 'Could not read the patient: the record no longer exists on the server. Refresh the list and try again.');
  }
  return patient;
}

/** A random pause that doubles with each round (up to about a second), so racing writers spread out. */
export function backoff(attempt: number): Promise<void> {
  const ceiling = Math.min(1000, 25 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}
