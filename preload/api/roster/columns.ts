/**
 * The columns of the two roster kinds (shared spec "roster-csv", a contract): names, aliases,
 * whether required, and the rule in an administrator's words. The import engine maps headers
 * with these, and the app's format page shows them, so both always say the same.
 */
export type RosterKind = 'patients' | 'practitioners';

export interface RosterColumn {
  readonly key: string;
  readonly required: boolean;
  /** Recommended though not required (shown as such on the format page). */
  readonly recommended?: boolean;
  readonly aliases: readonly string[];
  readonly rule: string;
}

const NAME_RULES = {
  given_name: { aliases: ['first_name', 'given', 'first'], rule: 'The person’s given name.' },
  family_name: { aliases: ['last_name', 'family', 'surname', 'last'], rule: 'The person’s family name.' },
} as const;

const CLINICS: RosterColumn = {
  key: 'clinics',
  required: true,
  aliases: ['clinic', 'organization', 'organizations'],
  rule: 'One or more clinics separated by ; — each a clinic name, Organization/<id>, or <system>|<value> of one of its identifiers.',
};

const ACTION: RosterColumn = { key: 'action', required: false, aliases: [], rule: 'enroll (the default) or unenroll.' };
const PHONE: RosterColumn = { key: 'phone', required: false, aliases: [], rule: 'Free text.' };

export const PATIENT_COLUMNS: readonly RosterColumn[] = [
  { key: 'mrn', required: true, aliases: ['medical_record_number', 'patient_id'], rule: '1–64 characters, no spaces.' },
  { key: 'mrn_system', required: false, aliases: [], rule: 'An absolute URI; if blank, the connection’s MRN system.' },
  { key: 'given_name', required: true, ...NAME_RULES.given_name },
  { key: 'family_name', required: true, ...NAME_RULES.family_name },
  {
    key: 'birth_date',
    required: true,
    aliases: ['dob', 'birthdate', 'date_of_birth'],
    rule: 'YYYY-MM-DD or M/D/YYYY: a real date, not in the future, not before 1900.',
  },
  { key: 'gender', required: false, aliases: ['sex'], rule: 'male, female, other or unknown (also M, F, O, U).' },
  CLINICS,
  ACTION,
  { key: 'consent', required: false, aliases: [], rule: 'yes grants the MSO’s universal consent, no revokes it, blank leaves it as it is.' },
  { key: 'email', required: false, aliases: [], rule: 'A valid email address.' },
  PHONE,
];

export const PRACTITIONER_COLUMNS: readonly RosterColumn[] = [
  { key: 'npi', required: false, recommended: true, aliases: [], rule: '10 digits with a valid NPI check digit.' },
  { key: 'given_name', required: true, ...NAME_RULES.given_name },
  { key: 'family_name', required: true, ...NAME_RULES.family_name },
  { key: 'email', required: true, aliases: ['e_mail', 'mail'], rule: 'A valid email address: the clinician’s sign-in.' },
  CLINICS,
  ACTION,
  PHONE,
];

export function columnsOf(kind: RosterKind): readonly RosterColumn[] {
  return kind === 'patients' ? PATIENT_COLUMNS : PRACTITIONER_COLUMNS;
}

/** Header names match case-insensitively, trimmed, with spaces and `-` read as `_`. */
export function normalizeHeaderName(name: string): string {
  return name.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** The column key a header name stands for in this kind of roster, or undefined. */
export function columnKeyOf(kind: RosterKind, headerName: string): string | undefined {
  const normalized = normalizeHeaderName(headerName);
  return columnsOf(kind).find((column) => column.key === normalized || column.aliases.includes(normalized))?.key;
}

/** The spec's rule: `mrn` makes a patient roster; `email` or `npi` without `mrn` a practitioner one. */
export function detectRosterKind(headerNames: readonly string[]): RosterKind | undefined {
  const keys = new Set(headerNames.map((name) => columnKeyOf('patients', name)));
  if (keys.has('mrn')) return 'patients';
  const practitionerKeys = new Set(headerNames.map((name) => columnKeyOf('practitioners', name)));
  if (practitionerKeys.has('email') || practitionerKeys.has('npi')) return 'practitioners';
  return undefined;
}
