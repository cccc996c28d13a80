/**
 * What one version of a record says about access, as references and plain values: the part the
 * timeline compares between versions and an undo puts back.
 */
import type { Organization, Patient, ProjectMembership } from '@medplum/fhirtypes';
import { clinicsOf, labelOf } from '../engines/access-list';
import { accountsOf } from '../engines/account-plan';

export interface PatientAccess {
  readonly clinics: string[];
  readonly consent: string[];
  readonly assignedClinicians: string[];
}

export interface MembershipAccess {
  readonly clinics: string[];
  readonly basePolicy: string | null;
  readonly label: string | null;
  readonly active: boolean;
}

export interface ClinicState {
  readonly name: string | null;
  readonly active: boolean;
  readonly identifiers: string[];
}

export function accountReferences(patient: Patient | undefined): string[] {
  return patient ? accountsOf(patient).flatMap((a) => (a.reference ? [a.reference] : [])) : [];
}

/** Splits a patient's accounts by what they mean under the MSO policy. */
export function patientAccessOf(patient: Patient | undefined): PatientAccess {
  const refs = accountReferences(patient);
  return {
    clinics: refs.filter((r) => r.startsWith('Organization/')),
    consent: refs.filter((r) => r.startsWith('Consent/')),
    assignedClinicians: refs.filter((r) => r.startsWith('Practitioner/')),
  };
}

export function membershipAccessOf(membership: ProjectMembership | undefined): MembershipAccess {
  if (!membership) return { clinics: [], basePolicy: null, label: null, active: false };
  return {
    clinics: clinicsOf(membership),
    basePolicy: membership.accessPolicy?.reference ?? null,
    label: labelOf(membership) ?? null,
    active: membership.active !== false,
  };
}

export function clinicStateOf(clinic: Organization | undefined): ClinicState {
  return {
    name: clinic?.name ?? null,
    active: clinic ? clinic.active !== false : false,
    identifiers: (clinic?.identifier ?? []).map((i) => `${i.system ?? ''}|${i.value ?? ''}`),
  };
}

/** What turned `before` into `after`, for lists of references. */
export function listDelta(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  return { added: after.filter((r) => !before.includes(r)), removed: before.filter((r) => !after.includes(r)) };
}

export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x)) && b.every((x) => a.includes(x));
}
