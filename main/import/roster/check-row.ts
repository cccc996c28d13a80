/**
 * One data row against the rules: every value checked in place, each problem named by line and
 * column. A row with an error gives no normalized row (it is skipped); warnings leave it whole.
 */
import {
  type Checked,
  checkAbsoluteUri,
  checkAction,
  checkBirthDate,
  checkClinics,
  checkConsent,
  checkEmail,
  checkGender,
  checkMrn,
  checkName,
  checkNpi,
} from '../../../preload/api/roster/rules';
import type { RosterHeader } from './roster-header';
import type { RosterIssue } from './roster-issue';
import type { PatientRosterRow, PractitionerRosterRow, RosterRow } from './roster-rows';

export interface RowContext {
  readonly header: RosterHeader;
  /** The connection's MRN system, for rows that name none. */
  readonly defaultMrnSystem: string;
  /** Today as YYYY-MM-DD: birth dates after it are refused. */
  readonly today: string;
}

/**
 * A rule's answers kept by value: a roster repeats its clinics and birth dates on row after row,
 * and a million-row file must not normalize and parse them a million times. Bounded, so a file of
 * all-different values costs a few thousand entries, not a copy of itself.
 */
class RuleCache<T> {
  private readonly answers = new Map<string, Checked<T>>();

  constructor(private readonly rule: (value: string) => Checked<T>) {}

  check = (value: string): Checked<T> => {
    let answer = this.answers.get(value);
    if (answer === undefined) {
      answer = this.rule(value);
      if (this.answers.size >= 4096) this.answers.clear();
      // A copy of the value as the key: the value itself is a slice of the parser's chunk and
      // would keep the whole chunk alive (slicing a concatenation copies it flat).
      this.answers.set(` ${value}`.slice(1), answer);
    }
    return answer;
  };
}

const clinicsRule = new RuleCache(checkClinics);
const birthDateRules = new Map<string, RuleCache<string>>();

function birthDateRule(today: string): (value: string) => Checked<string> {
  let cache = birthDateRules.get(today);
  if (!cache) {
    if (birthDateRules.size > 4) birthDateRules.clear();
    cache = new RuleCache((value) => checkBirthDate(value, today));
    birthDateRules.set(today, cache);
  }
  return cache.check;
}

export interface CheckedRow {
  readonly row?: RosterRow;
  readonly issues: readonly RosterIssue[];
}

/** Shared by every row without an issue (most rows): no array per row. */
const NO_ISSUES: readonly RosterIssue[] = Object.freeze([]);

/** The keys the rows are read by, each with its 0-based column or -1 when the file lacks it. */
const ROW_KEYS = ['mrn', 'mrn_system', 'given_name', 'family_name', 'birth_date', 'gender', 'clinics', 'action', 'consent', 'email', 'phone', 'npi'] as const;
type Positions = Readonly<Record<(typeof ROW_KEYS)[number], number>>;

/** Worked out once per header, not per row: every header gives an object of the same shape. */
let lastHeader: RosterHeader | undefined;
let lastPositions: Positions | undefined;
function positionsOf(header: RosterHeader): Positions {
  if (header !== lastHeader || !lastPositions) {
    lastPositions = Object.fromEntries(ROW_KEYS.map((key) => [key, header.positions.get(key) ?? -1])) as Positions;
    lastHeader = header;
  }
  return lastPositions;
}

const REQUIRED_BUT_EMPTY = { ok: false, message: 'is empty, and this column is required.' } as const;

class RowReader {
  private found: RosterIssue[] | undefined;
  hasErrors = false;

  get issues(): readonly RosterIssue[] {
    return this.found ?? NO_ISSUES;
  }

  constructor(
    private readonly context: RowContext,
    private readonly line: number,
    private readonly fields: readonly string[],
  ) {}

  /** The trimmed value in column `position` (-1: a column the file lacks, read as empty). */
  value(position: number): string {
    return position < 0 ? '' : (this.fields[position] ?? '').trim();
  }

  /** A value through its rule; an empty optional value is undefined with no issue. */
  check<T>(position: number, rule: (value: string) => Checked<T>, required: boolean): T | undefined {
    const value = this.value(position);
    if (value === '' && !required) return undefined;
    const checked = value === '' ? REQUIRED_BUT_EMPTY : rule(value);
    if (checked.ok) return checked.value;
    this.issue('error', position, checked.message);
    return undefined;
  }

  /** `position`: the column the issue is about, or -1 for the whole row. */
  issue(severity: RosterIssue['severity'], position: number, message: string): void {
    if (severity === 'error') this.hasErrors = true;
    (this.found ??= []).push({
      severity,
      line: this.line,
      ...(position >= 0 ? { column: this.context.header.names[position], columnNumber: position + 1 } : {}),
      message,
    });
  }
}

function checkShape(reader: RowReader, context: RowContext, fields: readonly string[]): void {
  const columns = context.header.names.length;
  if (fields.length > columns && fields.slice(columns).some((field) => field.trim() !== '')) {
    reader.issue(
      'error',
      -1,
      `has ${fields.length} values but the header has ${columns} columns: a value holding the delimiter probably needs quotes ("…"). The row was not read.`,
    );
  }
}

function checkPatient(reader: RowReader, context: RowContext, at: Positions, line: number): PatientRosterRow | undefined {
  const mrn = reader.check(at.mrn, checkMrn, true);
  const mrnSystem = reader.check(at.mrn_system, checkAbsoluteUri, false) ?? context.defaultMrnSystem;
  const givenName = reader.check(at.given_name, checkName, true);
  const familyName = reader.check(at.family_name, checkName, true);
  const birthDate = reader.check(at.birth_date, birthDateRule(context.today), true);
  const gender = reader.check(at.gender, checkGender, false);
  const clinics = reader.check(at.clinics, clinicsRule.check, true);
  const action = reader.check(at.action, checkAction, false) ?? 'enroll';
  const consent = reader.check(at.consent, checkConsent, false);
  const email = reader.check(at.email, checkEmail, false);
  const phone = reader.value(at.phone) || undefined;
  if (reader.hasErrors || !mrn || !givenName || !familyName || !birthDate || !clinics) return undefined;
  const row: Mutable<PatientRosterRow> = { kind: 'patients', line, mrnSystem, mrn, givenName, familyName, birthDate, clinics, action };
  // Only what the file gave: an absent value is no key at all, not one holding undefined.
  if (gender) row.gender = gender;
  if (consent !== undefined) row.consent = consent;
  if (email) row.email = email;
  if (phone) row.phone = phone;
  return row;
}

function checkPractitioner(reader: RowReader, at: Positions, line: number): PractitionerRosterRow | undefined {
  const npi = reader.check(at.npi, checkNpi, false);
  const givenName = reader.check(at.given_name, checkName, true);
  const familyName = reader.check(at.family_name, checkName, true);
  const email = reader.check(at.email, checkEmail, true);
  const clinics = reader.check(at.clinics, clinicsRule.check, true);
  const action = reader.check(at.action, checkAction, false) ?? 'enroll';
  const phone = reader.value(at.phone) || undefined;
  if (reader.hasErrors || !givenName || !familyName || !email || !clinics) return undefined;
  const row: Mutable<PractitionerRosterRow> = { kind: 'practitioners', line, givenName, familyName, email, clinics, action };
  if (npi) row.npi = npi;
  if (phone) row.phone = phone;
  return row;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function checkRow(context: RowContext, line: number, fields: readonly string[]): CheckedRow {
  const reader = new RowReader(context, line, fields);
  checkShape(reader, context, fields);
  if (reader.hasErrors) return { issues: reader.issues };
  const at = positionsOf(context.header);
  const row = context.header.kind === 'patients' ? checkPatient(reader, context, at, line) : checkPractitioner(reader, at, line);
  return row ? { row, issues: reader.issues } : { issues: reader.issues };
}
