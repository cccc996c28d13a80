import type { WithId } from '@medplum/core';
import { extractAccountReferences } from '@medplum/core';
import type { Bundle, Consent, Patient, Reference } from '@medplum/fhirtypes';
import { AppError } from '../ipc/app-error';
import type { AccountDelta } from './account-delta';
import { applyDelta, composeDeltas, diffAccounts, isEmptyDelta, NO_CHANGE, sameAccounts } from './account-delta';
import { clinicReference } from './access-list';
import type { EngineContext } from './engine-context';
import { FRESH } from './engine-context';
import { withActivity } from './record-activity';
import { ASYNC_THRESHOLD, estimateCompartmentSize, setPatientAccounts } from './set-accounts';
import { MRN_PATTERN, MRN_RULE } from '../../preload/api/schemas/enrollment';
import { identifierQuery } from './identifier-query';
import { toAppError } from './server-errors';
import { MAX_ATTEMPTS, pause } from './update-with-retry';

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

export interface AccountChangeOptions {
  /** Related-resource count above which `$set-accounts` runs as an async job; default ASYNC_THRESHOLD. */
  readonly asyncThreshold?: number;
}

export interface AccountChangeResult {
  /** The patient's accounts afterwards. */
  readonly accounts: Reference[];
  readonly written: boolean;
  readonly async: boolean;
  /** Writes made; more than one means a concurrent change was found and merged back in. */
  readonly writes: number;
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
    try {
      return await ctx.client.createResourceIfNoneExist<Patient>(
        {
          resourceType: 'Patient',
          ...(accounts.length ? { meta: { accounts, account: accounts[0] } } : {}),
          identifier: [{ system: ctx.mrnSystem, value: input.mrn.trim() }],
          name: [{ given: [input.given.trim()], family: input.family.trim() }],
          birthDate: input.birthDate,
          ...(input.gender ? { gender: input.gender } : {}),
        },
        identifierQuery(ctx.mrnSystem, input.mrn.trim())
      );
    } catch (err) {
      throw toAppError(err, 'create the patient');
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
    return ctx.client.readResource('Patient', patient.id, FRESH);
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

export function enrollPatient(ctx: EngineContext, patientId: string, clinicId: string, options?: AccountChangeOptions): Promise<AccountChangeResult> {
  return changePatientClinics(ctx, patientId, { enroll: [clinicId] }, options);
}

export function unenrollPatient(ctx: EngineContext, patientId: string, clinicId: string, options?: AccountChangeOptions): Promise<AccountChangeResult> {
  return changePatientClinics(ctx, patientId, { unenroll: [clinicId] }, options);
}

/** Moves (or adds and removes) in one change: records follow through `propagate`. */
export function changePatientClinics(
  ctx: EngineContext,
  patientId: string,
  change: { enroll?: readonly string[]; unenroll?: readonly string[] },
  options?: AccountChangeOptions
): Promise<AccountChangeResult> {
  const delta = { add: (change.enroll ?? []).map(clinicReference), remove: (change.unenroll ?? []).map(clinicReference) };
  const action = delta.add.length && delta.remove.length ? 'patient.move' : delta.add.length ? 'patient.enroll' : 'patient.unenroll';
  return changeAccounts(ctx, patientId, delta, action, options);
}

/** Consent-gated policy: the universal active Consent in the patient's accounts opens the records. */
export function grantConsent(ctx: EngineContext, patientId: string, consent: Reference<Consent>, options?: AccountChangeOptions): Promise<AccountChangeResult> {
  return changeAccounts(ctx, patientId, { add: [requireRef(consent, 'Consent')], remove: [] }, 'patient.consent-grant', options);
}

export function revokeConsent(ctx: EngineContext, patientId: string, consent: Reference<Consent>, options?: AccountChangeOptions): Promise<AccountChangeResult> {
  return changeAccounts(ctx, patientId, { add: [], remove: [requireRef(consent, 'Consent')] }, 'patient.consent-revoke', options);
}

/** Assigned-clinician policy: the clinician (`%profile`) in the patient's accounts. */
export function assignClinician(ctx: EngineContext, patientId: string, practitionerId: string, options?: AccountChangeOptions): Promise<AccountChangeResult> {
  return changeAccounts(ctx, patientId, { add: [`Practitioner/${practitionerId}`], remove: [] }, 'patient.assign-clinician', options);
}

export function unassignClinician(ctx: EngineContext, patientId: string, practitionerId: string, options?: AccountChangeOptions): Promise<AccountChangeResult> {
  return changeAccounts(ctx, patientId, { add: [], remove: [`Practitioner/${practitionerId}`] }, 'patient.unassign-clinician', options);
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

function changeAccounts(
  ctx: EngineContext,
  patientId: string,
  delta: AccountDelta,
  action: string,
  options: AccountChangeOptions = {}
): Promise<AccountChangeResult> {
  return withActivity(
    ctx,
    action,
    [`Patient/${patientId}`, ...delta.add, ...delta.remove],
    () => applyAccountDelta(ctx, patientId, delta, options),
    (r) => ({ written: r.written, async: r.async, writes: r.writes })
  );
}

/**
 * `$set-accounts` replaces the whole list and takes no If-Match, so two administrators changing
 * one patient at once could each write a list without the other's change. We write our delta on
 * the version we read, then look at the patient's history: if another version landed between the
 * one we read and ours, we overwrote it, so we write again with its change merged back in
 * (docs/enrollment.md explains the scheme and its limits).
 */
async function applyAccountDelta(
  ctx: EngineContext,
  patientId: string,
  delta: AccountDelta,
  options: AccountChangeOptions
): Promise<AccountChangeResult> {
  let current = await readPatient(ctx, patientId);
  let overwritten: AccountDelta = NO_CHANGE;
  let useAsync: boolean | undefined;
  let writes = 0;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const before = accountsOf(current);
    const target = applyDelta(applyDelta(before, overwritten), delta);
    if (sameAccounts(target, before)) {
      return { accounts: before, written: writes > 0, async: !!useAsync, writes };
    }
    useAsync ??= (await estimateCompartmentSize(ctx, patientId)) > (options.asyncThreshold ?? ASYNC_THRESHOLD);
    await setPatientAccounts(ctx, patientId, target, useAsync);
    writes++;
    const lost = await overwrittenChanges(ctx, patientId, current, target);
    if (lost === undefined || isEmptyDelta(lost)) {
      return { accounts: target, written: true, async: useAsync, writes };
    }
    overwritten = composeDeltas(overwritten, lost);
    ctx.logger?.info('patient.accounts_merge', { patient: `Patient/${patientId}`, attempt });
    await pause(attempt);
    current = await readPatient(ctx, patientId);
  }
  throw new AppError('conflict', 'The patient’s clinics kept changing while we tried. Wait a moment, check the patient and try again.');
}

/**
 * What a version written by someone else between `base` and our write changed, which our write
 * then undid; an empty delta when our write came right after `base` (or repeated its change);
 * `undefined` when history does not reach back far enough to tell.
 */
async function overwrittenChanges(
  ctx: EngineContext,
  patientId: string,
  base: WithId<Patient>,
  written: readonly Reference[]
): Promise<AccountDelta | undefined> {
  let history: Bundle<WithId<Patient>>;
  try {
    history = await ctx.client.get(`${ctx.client.fhirUrl('Patient', patientId, '_history').toString()}?_count=50`, FRESH);
  } catch (err) {
    throw toAppError(err, 'check the patient’s history');
  }
  // Newest first; keep those newer than the version we based our change on, oldest first.
  const versions = (history.entry ?? []).map((e) => e.resource).filter((r): r is WithId<Patient> => !!r);
  const baseIndex = versions.findIndex((v) => v.meta?.versionId === base.meta?.versionId);
  if (baseIndex < 0) {
    ctx.logger?.warn('patient.accounts_unverified', { patient: `Patient/${patientId}` });
    return undefined;
  }
  const newer = versions.slice(0, baseIndex).reverse();
  const ours = newer.findIndex((v) => sameAccounts(accountsOf(v), written));
  if (ours <= 0) {
    return NO_CHANGE;
  }
  const before = newer[ours - 1] as WithId<Patient>;
  return diffAccounts(accountsOf(base), accountsOf(before));
}

async function readPatient(ctx: EngineContext, patientId: string): Promise<WithId<Patient>> {
  try {
    return await ctx.client.readResource('Patient', patientId, FRESH);
  } catch (err) {
    throw toAppError(err, 'read the patient');
  }
}

/** `meta.accounts` (Medplum 4+) or, from older servers, the single `meta.account`. */
function accountsOf(patient: Patient): Reference[] {
  return extractAccountReferences(patient.meta) ?? [];
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
