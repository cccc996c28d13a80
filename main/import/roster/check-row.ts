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
  readonly issues: RosterIssue[];
}

class RowReader {
  readonly issues: RosterIssue[] = [];

  constructor(
    private readonly context: RowContext,
    private readonly line: number,
    private readonly fields: readonly string[],
  ) {}

  value(key: string): string {
    const position = this.context.header.positions.get(key);
    return position === undefined ? '' : (this.fields[position] ?? '').trim();
  }

  /** A value through its rule; an empty optional value is undefined with no issue. */
  check<T>(key: string, rule: (value: string) => Checked<T>, options: { required: boolean }): T | undefined {
    const value = this.value(key);
    if (value === '' && !options.required) return undefined;
    const checked = value === '' ? ({ ok: false, message: 'is empty, and this column is required.' } as const) : rule(value);
    if (checked.ok) return checked.value;
    this.issue('error', key, checked.message);
    return undefined;
  }

  issue(severity: RosterIssue['severity'], key: string | null, message: string, earlierLine?: number): void {
    const position = key === null ? undefined : this.context.header.positions.get(key);
    this.issues.push({
      severity,
      line: this.line,
      ...(position !== undefined ? { column: this.context.header.names[position], columnNumber: position + 1 } : {}),
      message,
      ...(earlierLine !== undefined ? { earlierLine } : {}),
    });
  }

  get hasErrors(): boolean {
    return this.issues.some((issue) => issue.severity === 'error');
  }
}

function checkShape(reader: RowReader, context: RowContext, fields: readonly string[]): void {
  const columns = context.header.names.length;
  if (fields.length > columns && fields.slice(columns).some((field) => field.trim() !== '')) {
    reader.issue(
      'error',
      null,
      `has ${fields.length} values but the header has ${columns} columns: a value holding the delimiter probably needs quotes ("…"). The row was not read.`,
    );
  }
}

function checkPatient(reader: RowReader, context: RowContext, line: number): PatientRosterRow | undefined {
  const mrn = reader.check('mrn', checkMrn, { required: true });
  const mrnSystem = reader.check('mrn_system', checkAbsoluteUri, { required: false }) ?? context.defaultMrnSystem;
  const givenName = reader.check('given_name', checkName, { required: true });
  const familyName = reader.check('family_name', checkName, { required: true });
  const birthDate = reader.check('birth_date', birthDateRule(context.today), { required: true });
  const gender = reader.check('gender', checkGender, { required: false });
  const clinics = reader.check('clinics', clinicsRule.check, { required: true });
  const action = reader.check('action', checkAction, { required: false }) ?? 'enroll';
  const consent = reader.check('consent', checkConsent, { required: false });
  const email = reader.check('email', checkEmail, { required: false });
  const phone = reader.value('phone') || undefined;
  if (reader.hasErrors || !mrn || !givenName || !familyName || !birthDate || !clinics) return undefined;
  return {
    kind: 'patients',
    line,
    mrnSystem,
    mrn,
    givenName,
    familyName,
    birthDate,
    clinics,
    action,
    ...(gender ? { gender } : {}),
    ...(consent !== undefined ? { consent } : {}),
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
  };
}

function checkPractitioner(reader: RowReader, line: number): PractitionerRosterRow | undefined {
  const npi = reader.check('npi', checkNpi, { required: false });
  const givenName = reader.check('given_name', checkName, { required: true });
  const familyName = reader.check('family_name', checkName, { required: true });
  const email = reader.check('email', checkEmail, { required: true });
  const clinics = reader.check('clinics', clinicsRule.check, { required: true });
  const action = reader.check('action', checkAction, { required: false }) ?? 'enroll';
  const phone = reader.value('phone') || undefined;
  if (reader.hasErrors || !givenName || !familyName || !email || !clinics) return undefined;
  return { kind: 'practitioners', line, givenName, familyName, email, clinics, action, ...(npi ? { npi } : {}), ...(phone ? { phone } : {}) };
}

export function checkRow(context: RowContext, line: number, fields: readonly string[]): CheckedRow {
  const reader = new RowReader(context, line, fields);
  checkShape(reader, context, fields);
  if (reader.hasErrors) return { issues: reader.issues };
  const row = context.header.kind === 'patients' ? checkPatient(reader, context, line) : checkPractitioner(reader, line);
  return row ? { row, issues: reader.issues } : { issues: reader.issues };
}
