/**
 * Requests and views of the clinics, clinicians and patients screens. Views carry what the
 * screens show (names, identifiers, clinics), built in main from FHIR resources.
 */
import { z } from 'zod';
import { isValidNpi, MRN_PATTERN } from '../rules/identifiers';

export const medplumIdSchema = z.string().trim().regex(/^(?=.*[A-Za-z0-9])[A-Za-z0-9\-.]{1,64}$/, 'must be a Medplum id');
const name = z.string().trim().min(1, 'is required').max(200);
const search = z.string().trim().max(200).optional();
const identifierSchema = z
  .object({
    system: z.string().trim().min(1).max(2048).regex(/^[a-z][a-z0-9+.-]*:\S+$/i, 'must be a web address such as https://example.org/clinic-id (or a urn:)'),
    value: z.string().trim().min(1).max(200),
  })
  .strict();

export const patientSortSchema = z.enum(['name', '-name', 'birthdate', '-birthdate', 'updated']);

export const pageSchema = z.object({
  offset: z.number().int().min(0).max(10_000).default(0),
  count: z.number().int().min(1).max(200).default(50),
  search,
  sort: patientSortSchema.optional(),
});

export const createClinicRequest = z.object({ name, identifier: identifierSchema.optional() }).strict();
export const clinicIdRequest = z.object({ clinicId: medplumIdSchema }).strict();
export const renameClinicRequest = z.object({ clinicId: medplumIdSchema, name }).strict();
export const setClinicActiveRequest = z.object({ clinicId: medplumIdSchema, active: z.boolean() }).strict();
export const clinicIdentifierRequest = z.object({ clinicId: medplumIdSchema, identifier: identifierSchema }).strict();
/**
 * A bulk change of one clinic's people, run as a job: the chosen `ids`, or everyone `matching` a
 * search (for enroll: in the project and not yet in the clinic; for unenroll: in the clinic),
 * resolved in main over every page, so "select all 3,000 matching" never ships ids through the UI.
 */
export const enrollInClinicRequest = z
  .object({
    clinicId: medplumIdSchema,
    kind: z.enum(['patients', 'clinicians']),
    action: z.enum(['enroll', 'unenroll']).default('enroll'),
    ids: z.array(medplumIdSchema).min(1).max(1000).optional(),
    matching: z.object({ search: search }).strict().optional(),
  })
  .strict()
  .refine((request) => (request.ids === undefined) !== (request.matching === undefined), 'give either ids or matching');
export const clinicPageRequest = pageSchema.extend({ clinicId: medplumIdSchema }).strict();
export const clinicSearchRequest = z.object({ clinicId: medplumIdSchema, search }).strict();
export const searchRequest = z.object({ search }).strict();

export const createClinicianRequest = z
  .object({
    givenName: name,
    familyName: name,
    email: z.string().trim().email('must be a valid email address').max(320),
    npi: z
      .string()
      .trim()
      .refine(isValidNpi, 'must be 10 digits with a valid check digit')
      .optional(),
    clinicIds: z.array(medplumIdSchema).max(200),
    sendInvite: z.boolean(),
  })
  .strict();

export const changeClinicsRequest = z
  .object({
    add: z.array(medplumIdSchema).max(200),
    remove: z.array(medplumIdSchema).max(200),
  })
  .strict();

export const setClinicianClinicsRequest = changeClinicsRequest.extend({ practitionerId: medplumIdSchema }).strict();
export const practitionerIdRequest = z.object({ practitionerId: medplumIdSchema }).strict();

const today = () => new Date().toISOString().slice(0, 10);
export const createPatientRequest = z
  .object({
    givenName: name,
    familyName: name,
    birthDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)')
      .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'must be a real date')
      .refine((value) => value >= '1900-01-01' && value <= today(), 'must be between 1900 and today'),
    gender: z.enum(['male', 'female', 'other', 'unknown']).optional(),
    mrn: z.string().trim().regex(MRN_PATTERN, 'must be 1–64 letters, digits and - . _ / : + only'),
    clinicIds: z.array(medplumIdSchema).max(200),
  })
  .strict();

export const patientIdRequest = z.object({ patientId: medplumIdSchema }).strict();
export const setPatientClinicsRequest = changeClinicsRequest.extend({ patientId: medplumIdSchema }).strict();
export const setPatientConsentRequest = z.object({ patientId: medplumIdSchema, granted: z.boolean() }).strict();
export const policyVariantSchema = z.enum(['standard', 'consent-gated', 'assigned-clinician']);
export const installPolicyRequest = z.object({ variant: policyVariantSchema }).strict();
export const activityPageRequest = z
  .object({
    offset: z.number().int().min(0).default(0),
    count: z.number().int().min(1).max(500).default(100),
    /** Only entries of this action code, this result, this record ("Patient/123"), or from this time on. */
    action: z.string().regex(/^[a-z-]+\.[a-z-]+$/).optional(),
    result: z.enum(['ok', 'failed']).optional(),
    record: z.string().regex(/^[A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/).optional(),
    since: z.iso.datetime().optional(),
  })
  .strict();

export interface ClinicTag {
  id: string;
  name: string;
}

export interface ClinicView {
  id: string;
  name: string;
  active: boolean;
  identifiers: { system: string; value: string }[];
}

export interface ClinicSummaryView extends ClinicView {
  clinicianCount: number;
  patientCount: number;
}

export interface PatientRow {
  id: string;
  name: string;
  mrn: string | null;
  birthDate: string | null;
  gender: string | null;
  clinics: ClinicTag[];
  consented: boolean | null;
}

export interface PatientPageView {
  patients: PatientRow[];
  total: number;
  offset: number;
  count: number;
  /** What the search matched, in words ("the whole MRN “A-1”", "a name starting with “Abb”"). */
  matched?: string;
}

export interface ClinicianRow {
  practitionerId: string;
  name: string;
  npi: string | null;
  email: string | null;
  clinics: ClinicTag[];
}

export interface ClinicianDetail extends ClinicianRow {
  signIn: {
    /** `not-sent`: invited without the email that lets them set a password, so they cannot sign in yet. */
    state: 'none' | 'not-sent' | 'invited' | 'active' | 'inactive';
    hasSignIn: boolean;
    memberships: number;
    active: boolean;
    label: string;
    missingBasePolicy: boolean;
  };
}

export interface PolicyStatus {
  installed: boolean;
  name: string;
  variant: z.output<typeof policyVariantSchema> | null;
  differences: { scope: string; kind: string; expected: string; installed: string }[];
}

export interface ActivityView {
  time: string;
  actor: string;
  action: string;
  targets: string[];
  result: 'ok' | 'failed';
  detail: Record<string, string | number | boolean>;
}

export interface ChangeResult<T> {
  value: T;
  /** One sentence for the notification: what changed, in the administrator's words. */
  summary: string;
}
