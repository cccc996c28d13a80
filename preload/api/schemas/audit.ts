/**
 * Access audit (issue 12): requests and views. Channels (preload/api/contract.ts):
 *
 * - `runAudit({})` → {jobId}: reads the whole project as a job (bounded requests, docs/audit.md;
 *   jobProgress events count requests of the bound, cancelJob stops between pages). When it
 *   succeeds its report is the latest (`getAuditReport`); a cancelled or failed one keeps the
 *   previous. A second call while one runs answers the running job's id.
 * - `getAuditReport({})` → AuditReport | null: the latest report of this session, if any.
 * - `getClinicianAccess({practitionerId})` → ClinicianAccessView
 * - `getPatientAccess({patientId})` → PatientAccessView
 * - `getClinicAccess({clinicId})` → ClinicAccessView
 * - `viewAsClinician({practitionerId})` → ViewAsClinicianView: per membership, the computed
 *   patient list, the server's own answer through On-Behalf-Of (or why it could not be had), the
 *   difference, and the findings it raised (also added to the latest report).
 * - `previewRepair({findingId})` → RepairPreview: exactly what will change, nothing written.
 * - `applyRepair({previewId})` → {jobId}: runs the previewed repair as a job (jobProgress events,
 *   cancelJob); its closing message says what was written. Run the audit again to see it gone.
 * - `exportAudit({format: 'csv' | 'html'})` → AuditExport: the latest report as a file's content
 *   (CSV cells that start a formula are neutralized; HTML escaped, printable with window.print).
 *
 * Views carry references (`Patient/123`) and the labels to show for them; no secret crosses.
 */
import { z } from 'zod';
import { medplumIdSchema } from './enrollment';

export const emptyAuditRequest = z.object({}).strict();
export const findingIdRequest = z.object({ findingId: z.string().regex(/^[a-z0-9-]{1,64}:[A-Za-z0-9\-./|,_]{0,400}$/) }).strict();
export const previewIdRequest = z.object({ previewId: z.string().uuid() }).strict();
export const exportAuditRequest = z.object({ format: z.enum(['csv', 'html']) }).strict();
export const auditPractitionerRequest = z.object({ practitionerId: medplumIdSchema }).strict();
export const auditPatientRequest = z.object({ patientId: medplumIdSchema }).strict();
export const auditClinicRequest = z.object({ clinicId: medplumIdSchema }).strict();

export type FindingSeverity = 'critical' | 'warning' | 'notice';

export type FindingKind =
  | 'policy-not-installed'
  | 'policy-differs'
  | 'policy-type-gap'
  | 'policy-criteria-unfiltered'
  | 'cross-clinic-writes'
  | 'whole-project-membership'
  | 'base-policy-not-mso'
  | 'admin-is-clinician'
  | 'stale-access-entry'
  | 'foreign-policy-access-entry'
  | 'patient-in-no-clinic'
  | 'compartment-drift'
  | 'duplicate-clinic-names'
  | 'unlabelled-memberships'
  | 'inactive-sign-in-holds-clinics'
  | 'view-as-difference'
  | 'sees-other-clinic-patient';

/** A record a finding or view concerns: its reference and what to call it on screen. */
export interface RecordRef {
  reference: string;
  label: string;
}

/** What can be done about a finding. `repair` null: a person must decide (the steps are in `steps`). */
export interface FixDescriptor {
  /** The button's words ("Give the MSO base policy"). */
  title: string;
  /** What the fix does, in a sentence. */
  explains: string;
  repair:
    | 'install-policy'
    | 'harden-policy'
    | 'set-base-policy'
    | 'remove-access-entries'
    | 'resync-patient-records'
    | 'label-memberships'
    | 'remove-clinics'
    | null;
  /** For a manual fix: what the administrator does, step by step. */
  steps: string[];
}

export interface AuditFinding {
  /** Stable across audits for the same problem (`<kind>:<key>`): a repaired finding is gone by id. */
  id: string;
  kind: FindingKind;
  severity: FindingSeverity;
  title: string;
  /** Plain explanation of what is unsafe and why. */
  explanation: string;
  /** The people and records concerned (at most 200 listed; `concernCount` is the whole number). */
  concerns: RecordRef[];
  concernCount: number;
  fix: FixDescriptor;
}

export interface AuditReport {
  ranAt: string;
  projectId: string;
  projectName: string;
  /** The installed MSO policy variant, or null when none (or one that matches no variant). */
  policyVariant: 'standard' | 'consent-gated' | 'assigned-clinician' | null;
  counts: { critical: number; warning: number; notice: number };
  findings: AuditFinding[];
  /** What was looked at, for the report's header. */
  scanned: { clinics: number; memberships: number; clinicians: number; patients: number; records: number };
  requests: number;
  durationMs: number;
}

export interface ClinicAccessEntry {
  clinic: RecordRef;
  active: boolean;
  /** False when the entry uses another policy than the MSO one. */
  msoPolicy: boolean;
  patientCount: number;
}

export interface MembershipAccess {
  membershipId: string;
  label: string | null;
  admin: boolean;
  active: boolean;
  /** The membership's base policy, or null when none. */
  basePolicy: RecordRef | null;
  basePolicyIsMso: boolean;
  /** No access and no accessPolicy: Medplum's default lets it read and write every clinical type. */
  grantsWholeProject: boolean;
  clinics: ClinicAccessEntry[];
  /** Distinct patients this membership can see (under the installed variant, an upper bound for consent/assigned). */
  patientCount: number;
}

export interface ClinicianAccessView {
  practitioner: RecordRef;
  /** shared: one membership reaches every clinic at once; strict: one labelled membership per clinic. */
  isolation: 'shared' | 'strict';
  memberships: MembershipAccess[];
  /** Distinct patients across all memberships. */
  patientCount: number;
  /** What narrows the list further under the installed variant, in words; null for the standard one. */
  variantNote: string | null;
}

export interface PatientAccessView {
  patient: RecordRef;
  clinics: { clinic: RecordRef; active: boolean }[];
  /** Clinicians whose memberships reach one of the patient's clinics (and so the patient). */
  clinicians: { practitioner: RecordRef; membershipId: string; label: string | null; through: RecordRef[] }[];
  variantNote: string | null;
  /** Accounts that are not clinics (the universal Consent, assigned Practitioners). */
  otherAccounts: RecordRef[];
}

export interface ClinicAccessView {
  clinic: RecordRef;
  active: boolean;
  clinicians: { practitioner: RecordRef; membershipId: string; label: string | null }[];
  patientCount: number;
  /** The first patients (at most 200), by last update. */
  patients: RecordRef[];
}

export type ObservedAnswer =
  | { status: 'verified'; patients: RecordRef[]; count: number }
  | { status: 'unverified'; reason: string };

export interface MembershipView {
  membershipId: string;
  label: string | null;
  computed: { patients: RecordRef[]; count: number };
  observed: ObservedAnswer;
  /** Only when verified: patients the computation gives and the server does not, and the reverse. */
  difference: { onlyComputed: RecordRef[]; onlyObserved: RecordRef[] } | null;
}

export interface ViewAsClinicianView {
  practitioner: RecordRef;
  memberships: MembershipView[];
  /** At most 500 patients are listed per list; counts are whole. */
  listLimit: number;
  findings: AuditFinding[];
}

export interface RepairChange {
  record: RecordRef;
  /** What will be written on this record, in words ("accounts: Clinic A → Clinic A, Clinic B"). */
  change: string;
}

export interface RepairPreview {
  previewId: string;
  findingId: string;
  title: string;
  /** The whole change in sentences, before anything is written. */
  sentences: string[];
  /** Records that will be written (at most 500 listed; `changeCount` is the whole number). */
  changes: RepairChange[];
  changeCount: number;
}

export interface AuditExport {
  fileName: string;
  mimeType: 'text/csv' | 'text/html';
  content: string;
}
