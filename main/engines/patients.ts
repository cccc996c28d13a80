import type { WithId } from '@medplum/core';
import type { Consent, Patient, Reference } from '@medplum/fhirtypes';
import { AppError } from '../errors/app-error';
import type { AccountDelta } from './account-delta';
import { accountsOf } from './account-plan';
import { clinicReference } from './access-list';
import { syncPatientRecords } from './compartment-sync';
import type { EngineContext } from './engine-context';
import { fresh } from './engine-context';
import { withActivity } from './record-activity';
import { MRN_PATTERN, MRN_RULE } from '../../preload/api/rules/identifiers';
import { identifierQuery } from './identifier-query';
import { backoff, writePatientAccounts } from './patient-accounts-write';
import { withPatientLock } from './patient-lock';
import { statusOf, toAppError } from './server-errors';

export interface NewPatient {
  readonly given: string;
  readonly family: string;
  /** YYYY-MM-DD */
  readonly birthDate: string;
  /** Left out when the administrator did not give it: nothing is written that was not entered. */
  readonly gender?: NonNullable<Patient['gender']>;
  readonly mrn: string;
  readonly clinicIds: readonly string[];
}

/** Tries of a conditional create that the server refused with 409 (a lost serialization race). */
const CREATE_ATTEMPTS = 5;

export interface AccountChangeResult {
  /** The patient's accounts as this change left them. */
  readonly accounts: Reference[];
  /** False when the change was already in place (the patient was not written). */
  readonly written: boolean;
  /** Rounds of the If-Match write; more than one means another writer got in first and we decided again. */
  readonly attempts: number;
  /** Related records whose accounts were corrected to match the patient. */
  readonly recordsUpdated: number;
  /** The accounts (references) of the version this change replaced: what an undo puts back. */
  readonly previous: readonly string[];
}

/**
 * Creates the patient in the given clinics, keyed by MRN (a retried create finds the first one).
 * The admin create carries `meta.accounts`, which Medplum honours for project admins; if a server
 * did not, or the MRN already existed, the clinics are then set through `$set-accounts`.
 */
export async function createPatient(ctx: EngineContext, input: NewPatient): Promise<WithId<Patient>> {
  validatePatient(input);
  const accounts = input.clinicIds.map((id) => ({ reference: clinicReference(id) }));
  const patient = await withActivity(ctx, 'patient.create', input.clinicIds.map(clinicReference), async () => {
    const resource: Patient = {
      resourceType: 'Patient',
      ...(accounts.length ? { meta: { accounts, account: accounts[0] } } : {}),
      identifier: [{ system: ctx.mrnSystem, value: input.mrn.trim() }],
      name: [{ given: [input.given.trim()], family: input.family.trim() }],
      birthDate: input.birthDate,
      ...(input.gender ? { gender: input.gender } : {}),
    };
    // Medplum runs a conditional create in a SERIALIZABLE transaction: several at once (of
    // different patients) can fail with 409 once its own retry is spent. Trying again is safe:
    // the condition finds the patient if an earlier try did make it.
    for (let attempt = 1; ; attempt++) {
      try {
        return await ctx.client.createResourceIfNoneExist<Patient>(resource, identifierQuery(ctx.mrnSystem, input.mrn.trim()));
      } catch (err) {
        if (statusOf(err) !== 409 || attempt >= CREATE_ATTEMPTS) {
          throw toAppError(err, 'create the patient');
        }
        await backoff(attempt);
      }
    }
  }, (p) => ({ patient: `Patient/${p.id}` }));
  // If-None-Exist answers with the patient who already has this MRN. Only a retry of this same
  // create may carry on; anyone else must not be enrolled by a typo.
  if (!isSamePerson(patient, input)) {
    throw new AppError(
      'conflict',
      'A patient with this MRN already exists in the project, with other details. Search for the MRN on the Patients page and open that patient instead of creating a new one.',
      undefined,
      'mrn'
    );
  }
  const missing = accounts.filter((a) => !accountsOf(patient).some((b) => b.reference === a.reference));
  if (missing.length) {
    await changePatientClinics(ctx, patient.id, { enroll: [...input.clinicIds] });
    return ctx.client.readResource('Patient', patient.id, fresh());
  }
  return patient;
}

function isSamePerson(patient: Patient, input: NewPatient): boolean {
  const name = patient.name?.[0];
  return (
    name?.family?.trim().toLowerCase() === input.family.trim().toLowerCase() &&
    (name?.given?.[0] ?? '').trim().toLowerCase() === input.given.trim().toLowerCase() &&
    patient.birthDate === input.birthDate
  );
}

export function enrollPatient(ctx: EngineContext, patientId: string, clinicId: string): Promise<AccountChangeResult> {
  return changePatientClinics(ctx, patientId, { enroll: [clinicId] });
}

export function unenrollPatient(ctx: EngineContext, patientId: string, clinicId: string): Promise<AccountChangeResult> {
  return changePatientClinics(ctx, patientId, { unenroll: [clinicId] });
}

/** Moves (or adds and removes) in one change; the records follow. */
export function changePatientClinics(
  ctx: EngineContext,
  patientId: string,
  change: { enroll?: readonly string[]; unenroll?: readonly string[] }
): Promise<AccountChangeResult> {
  const delta = { add: (change.enroll ?? []).map(clinicReference), remove: (change.unenroll ?? []).map(clinicReference) };
  const action = delta.add.length && delta.remove.length ? 'patient.move' : delta.add.length ? 'patient.enroll' : 'patient.unenroll';
  return changeAccounts(ctx, patientId, delta, action);
}

/** Consent-gated policy: the universal active Consent in the patient's accounts opens the records. */
export function grantConsent(ctx: EngineContext, patientId: string, consent: Reference<Consent>): Promise<AccountChangeResult> {
  return changeAccounts(ctx, patientId, { add: [requireRef(consent, 'Consent')], remove: [] }, 'patient.consent-grant');
}

export function revokeConsent(ctx: EngineContext, patientId: string, consent: Reference<Consent>): Promise<AccountChangeResult> {
  return changeAccounts(ctx, patientId, { add: [], remove: [requireRef(consent, 'Consent')] }, 'patient.consent-revoke');
}

/** Assigned-clinician policy: the clinician (`%profile`) in the patient's accounts. */
export function assignClinician(ctx: EngineContext, patientId: string, practitionerId: string): Promise<AccountChangeResult> {
  return changeAccounts(ctx, patientId, { add: [`Practitioner/${practitionerId}`], remove: [] }, 'patient.assign-clinician');
}

export function unassignClinician(ctx: EngineContext, patientId: string, practitionerId: string): Promise<AccountChangeResult> {
  return changeAccounts(ctx, patientId, { add: [], remove: [`Practitioner/${practitionerId}`] }, 'patient.unassign-clinician');
}

/** The clinics ("Organization/<id>") a patient belongs to. */
export function clinicsOfPatient(patient: Patient): string[] {
  return accountsOf(patient)
    .map((a) => a.reference ?? '')
    .filter((r) => r.startsWith('Organization/'));
}

export function hasConsent(patient: Patient, consent: Reference<Consent>): boolean {
  return accountsOf(patient).some((a) => a.reference === consent.reference);
}

/**
 * Any change of a patient's accounts (clinics, the universal Consent, assigned clinicians) as one
 * intent; every named change above is one of these. Undo (main/history) writes through it too.
 */
export function changePatientAccounts(ctx: EngineContext, patientId: string, delta: AccountDelta, action: string): Promise<AccountChangeResult> {
  return withActivity(
    ctx,
    action,
    [`Patient/${patientId}`, ...delta.add, ...delta.remove],
    // This console's own changes to one patient queue up; other writers are handled on the server.
    () => withPatientLock(ctx.client, patientId, () => applyAccountDelta(ctx, patientId, delta)),
    (r) => ({ written: r.written, attempts: r.attempts, records: r.recordsUpdated }),
    (r) => ({ subject: `Patient/${patientId}`, field: 'accounts', before: r.previous, after: r.accounts.flatMap((a) => (a.reference ? [a.reference] : [])) })
  );
}

const changeAccounts = changePatientAccounts;

/**
 * The patient's list changes by compare-and-swap (`PUT` under `If-Match`, decided again from the
 * current version whenever another writer got in first), then the related records are brought to
 * exactly the patient's accounts. `$set-accounts` is not used: it overwrites the list with no
 * version check (docs/enrollment.md, "Concurrent changes"). A change already in place writes
 * nothing on the patient but still checks the records, so repeating a change whose records were
 * left behind (a failure half-way, an older tool) finishes it.
 */
async function applyAccountDelta(ctx: EngineContext, patientId: string, delta: AccountDelta): Promise<AccountChangeResult> {
  const write = await writePatientAccounts(ctx, patientId, delta);
  const sync = await syncPatientRecords(ctx, patientId, write.written ? write.patient : undefined);
  return { accounts: accountsOf(write.patient), written: write.written, attempts: write.attempts, recordsUpdated: sync.updated, previous: write.previous };
}

/**
 * Checks that the patient's related records carry exactly the patient's accounts and corrects the
 * ones that do not (records left behind by an older tool, or by a failure half-way).
 */
export function repairPatientRecords(ctx: EngineContext, patientId: string): Promise<{ readonly updated: number }> {
  return withActivity(
    ctx,
    'patient.repair-records',
    [`Patient/${patientId}`],
    () => withPatientLock(ctx.client, patientId, () => syncPatientRecords(ctx, patientId)),
    (r) => ({ records: r.updated })
  );
}

function requireRef(ref: Reference, type: string): string {
  if (!ref.reference?.startsWith(`${type}/`)) {
    throw new AppError('invalid_argument', `Expected a ${type} reference.`);
  }
  return ref.reference;
}

function validatePatient(input: NewPatient): void {
  if (!input.given.trim() || !input.family.trim()) {
    throw new AppError('invalid_argument', 'A patient needs a first and a last name.');
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.birthDate) || Number.isNaN(Date.parse(input.birthDate))) {
    throw new AppError('invalid_argument', 'The birth date must be a real date written as YYYY-MM-DD.');
  }
  if (!input.mrn.trim()) {
    throw new AppError('invalid_argument', 'A patient needs a medical record number (MRN).');
  }
  if (!MRN_PATTERN.test(input.mrn.trim())) {
    throw new AppError('invalid_argument', MRN_RULE);
  }
}
