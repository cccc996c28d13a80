/** A roster row after validation: trimmed, normalized, and only what the file gave. */
import type { ClinicReference, Gender, RowAction } from '../../../preload/api/roster/rules';

export interface PatientRosterRow {
  readonly kind: 'patients';
  readonly line: number;
  readonly mrnSystem: string;
  readonly mrn: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly birthDate: string;
  readonly gender?: Gender;
  readonly clinics: readonly ClinicReference[];
  readonly action: RowAction;
  /** true grants the universal consent, false revokes it; absent leaves it as it is. */
  readonly consent?: boolean;
  readonly email?: string;
  readonly phone?: string;
}

export interface PractitionerRosterRow {
  readonly kind: 'practitioners';
  readonly line: number;
  readonly npi?: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly email: string;
  readonly clinics: readonly ClinicReference[];
  readonly action: RowAction;
  readonly phone?: string;
}

export type RosterRow = PatientRosterRow | PractitionerRosterRow;
