import { extractAccountReferences } from '@medplum/core';
import type { Reference, Resource } from '@medplum/fhirtypes';
import type { AccountDelta } from './account-delta';
import { applyDelta, sameAccounts, unionAccounts } from './account-delta';

/**
 * The pure decisions behind a change of a patient's accounts (docs/enrollment.md, "Concurrent
 * changes"): what to write on the patient, and which related records to correct.
 */

/** `meta.accounts` (Medplum 4+) or, from older servers, the single `meta.account`. */
export function accountsOf(resource: Resource): Reference[] {
  return extractAccountReferences(resource.meta) ?? [];
}

export interface PatientWritePlan {
  /** The whole new list: the current one with the change applied. */
  readonly target: Reference[];
  /** False when the change is already in place: nothing to write. */
  readonly changed: boolean;
}

/**
 * What to write on the patient, decided from the version we will write over (the If-Match write
 * fails if that is not the current one, and we decide again on the newer one). Computing from the
 * current list, never from a list read earlier, is what keeps every other writer's change.
 */
export function planPatientWrite(current: readonly Reference[], delta: AccountDelta): PatientWritePlan {
  const target = applyDelta(current, delta);
  return { target, changed: !sameAccounts(target, current) };
}

/** The other patients (besides `patientRef`) whose compartment holds this record, from `meta.compartment`. */
export function otherPatientsOf(record: Resource, patientRef: string): string[] {
  return (record.meta?.compartment ?? [])
    .map((c) => c.reference ?? '')
    .filter((r) => r.startsWith('Patient/') && r !== patientRef);
}

export interface RecordFix<T extends Resource = Resource> {
  readonly record: T;
  /** The accounts the record must carry. */
  readonly accounts: Reference[];
}

/**
 * Which related records carry other accounts than they should, and what they should carry:
 * exactly the patient's accounts, or for a record in several patients' compartments the union of
 * those patients' accounts (as Medplum gives a new record). `accountsByPatient` holds the current
 * accounts of every patient named (the patient itself included); a patient missing from it (deleted,
 * or not readable) adds nothing.
 */
export function recordFixes<T extends Resource>(
  records: readonly T[],
  patientRef: string,
  accountsByPatient: ReadonlyMap<string, readonly Reference[]>
): RecordFix<T>[] {
  const own = accountsByPatient.get(patientRef) ?? [];
  const fixes: RecordFix<T>[] = [];
  for (const record of records) {
    const others = otherPatientsOf(record, patientRef).map((p) => accountsByPatient.get(p) ?? []);
    const wanted = unionAccounts(own, ...others);
    if (!sameAccounts(accountsOf(record), wanted)) {
      fixes.push({ record, accounts: wanted });
    }
  }
  return fixes;
}
