/** What an import will do, decided before anything is written (the dry run). */
import type { RosterKind } from '../../../preload/api/roster/columns';
import type { RosterIssue } from '../roster/roster-issue';
import type { PatientRosterRow, PractitionerRosterRow } from '../roster/roster-rows';
import type { RosterValidation } from '../roster/validate-roster';

export interface ImportOptions {
  /** Clinics named by a name no clinic has are created (once, by that name). */
  readonly createMissingClinics: boolean;
  /** Existing patients' demographics that differ from the file are updated (else: a warning). */
  readonly updateDemographics: boolean;
  /** Invitation emails go out to new clinicians. */
  readonly sendInvites: boolean;
  /** Any error stops the import before the first write. */
  readonly strict: boolean;
}

export type RowStatus = 'create' | 'enroll' | 'unenroll' | 'unchanged' | 'error';

/** One person of the file (all their rows merged) and what will change for them. */
export interface PlannedPerson {
  readonly kind: RosterKind;
  /** `system|mrn` for patients, the email for clinicians. */
  readonly key: string;
  readonly lines: readonly number[];
  /** The person's first row: what a create writes. */
  readonly row: PatientRosterRow | PractitionerRosterRow;
  /** The Patient or Practitioner id, when they exist. */
  readonly existingId?: string;
  /** Clinic ids to add and to remove (`new:<name>` for a clinic this import creates). */
  readonly add: readonly string[];
  readonly remove: readonly string[];
  readonly consent?: 'grant' | 'revoke';
  /** Existing patient: the demographic columns that differ from the file (updated only if chosen). */
  readonly differingColumns: readonly string[];
  readonly action: 'create' | 'change' | 'unchanged';
}

export interface PlanTotals {
  readonly rows: number;
  readonly create: number;
  readonly enroll: number;
  readonly unenroll: number;
  readonly unchanged: number;
  readonly error: number;
  /** Rows with at least one warning (they go ahead). */
  readonly warning: number;
}

export interface QuotaEstimate {
  /** The project's per-membership FHIR quota: points a minute. */
  readonly pointsPerMinute: number;
  /** Where that figure came from. */
  readonly quotaSource: 'project-setting' | 'medplum-default';
  /** Points the writes will spend at least (records of existing patients come on top). */
  readonly points: number;
  /** At least this long at that quota. */
  readonly minutes: number;
}

export interface ImportPlan {
  readonly kind?: RosterKind;
  readonly validation: RosterValidation;
  /** Validation's issues and the plan's own, by line. */
  readonly issues: readonly RosterIssue[];
  readonly statusByLine: ReadonlyMap<number, RowStatus>;
  readonly people: readonly PlannedPerson[];
  readonly clinicsToCreate: readonly string[];
  readonly totals: PlanTotals;
  readonly estimate: QuotaEstimate;
  /** Strict mode met an error, or the file cannot be imported at all: nothing will be written. */
  readonly blocked: boolean;
  /** Requests the plan itself made (its look-ups). */
  readonly lookups: number;
}
