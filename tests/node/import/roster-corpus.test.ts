/**
 * The corpus of malformed and tricky roster files (tests/fixtures/rosters): each gives exactly
 * the expected line-numbered errors and warnings, no more and no fewer.
 */
import { createReadStream, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateRoster } from '../../../main/import/roster/validate-roster';

const CORPUS = path.join(__dirname, '..', '..', 'fixtures', 'rosters');
const TODAY = '2026-12-01';

interface Expected {
  kind?: 'patients' | 'practitioners';
  rows?: number;
  valid?: number;
  /** [line, words of the message] of a file-level error. */
  file?: [number | undefined, string];
  /** `E<line> <column> ~<words>` or `W<line> ~<words>`: every issue, in order. */
  issues?: string[];
}

const EXPECTED: Record<string, Expected> = {
  'actions.csv': { kind: 'patients', rows: 4, valid: 3, issues: ['E5 action ~not enroll or unenroll'] },
  'clinic-references.csv': {
    rows: 6,
    valid: 2,
    issues: ['E3 clinics ~not a Medplum id', 'E4 clinics ~not <system>|<value>', 'E6 clinics ~names no clinic', 'E7 clinics ~not <system>|<value>'],
  },
  'consents.csv': { rows: 4, valid: 3, issues: ['E5 consent ~not yes, no or blank'] },
  'contradiction-clinic.csv': { rows: 4, valid: 3, issues: ['E4 clinics ~line 2 enrolls them in'] },
  'contradiction-consent.csv': { rows: 3, valid: 2, issues: ['E3 consent ~where line 2 says yes'] },
  'contradiction-demographics.csv': { rows: 3, valid: 1, issues: ['E3 birth_date ~another birth_date than line 2', 'E4 birth_date ~is empty'] },
  'dates.csv': {
    rows: 10,
    valid: 3,
    issues: [
      'E3 birth_date ~not a real calendar date',
      'E4 birth_date ~before 1900',
      'E5 birth_date ~in the future',
      'E6 birth_date ~not a real calendar date',
      'E7 birth_date ~YYYY-MM-DD or M/D/YYYY',
      'E9 birth_date ~not a real calendar date',
      'E11 birth_date ~YYYY-MM-DD or M/D/YYYY',
    ],
  },
  'duplicate-agreeing-rows.csv': { rows: 3, valid: 3, issues: [] },
  'empty.csv': { file: [undefined, 'The file is empty'] },
  'fewer-values.csv': { rows: 2, valid: 1, issues: ['E3 clinics ~is empty'] },
  'formula-values.csv': { rows: 1, valid: 1, issues: [] },
  'genders.csv': { rows: 7, valid: 6, issues: ['E6 gender ~not one of male, female'] },
  'header-only.csv': { kind: 'patients', file: [1, 'no rows to import'] },
  'invalid-utf8.csv': { file: [3, 'Line 3 is not valid UTF-8'] },
  'mrn-systems.csv': { rows: 4, valid: 3, issues: ['E3 mrn_system ~not an absolute URI'] },
  'mrns.csv': { rows: 5, valid: 2, issues: ['E2 mrn ~has a space', 'E3 mrn ~longer than 64', 'E4 mrn ~is empty'] },
  'names-too-long.csv': { rows: 2, valid: 1, issues: ['E2 given_name ~longer than 200'] },
  'only-blank-lines.csv': { file: [undefined, 'The file is empty'] },
  'patient-emails.csv': { rows: 4, valid: 2, issues: ['E3 email ~not a valid email', 'E4 email ~not a valid email'] },
  'patients-aliases.csv': { kind: 'patients', rows: 2, valid: 2, issues: [] },
  'patients-blank-lines.csv': { rows: 2, valid: 1, issues: ['E6 birth_date ~not a real calendar date'] },
  'patients-bom.csv': { kind: 'patients', rows: 1, valid: 1, issues: [] },
  'patients-crlf.csv': { rows: 2, valid: 2, issues: [] },
  'patients-duplicate-columns.csv': { file: [1, 'two columns for mrn: column 1 (mrn) and column 2 (patient_id)'] },
  'patients-escaped-quotes.csv': { rows: 2, valid: 1, issues: ['E3 gender ~not one of'] },
  'patients-header-case.csv': { kind: 'patients', rows: 1, valid: 1, issues: [] },
  'patients-leading-blank-lines.csv': { rows: 2, valid: 1, issues: ['E5 given_name ~is empty'] },
  'patients-missing-column.csv': { file: [1, 'lacks the required column birth_date'] },
  'patients-missing-columns.csv': { file: [1, 'lacks the required columns family_name, birth_date, clinics'] },
  'patients-quoted-delimiter.csv': { rows: 2, valid: 2, issues: [] },
  'patients-quoted-newline.csv': { rows: 3, valid: 2, issues: ['E7 birth_date ~not a real calendar date'] },
  'patients-semicolon.csv': { rows: 2, valid: 2, issues: [] },
  'patients-tab.csv': { rows: 2, valid: 2, issues: [] },
  'patients-unknown-columns.csv': { rows: 1, valid: 1, issues: ['W1 ~ignored: notes, insurance'] },
  'patients-valid.csv': { kind: 'patients', rows: 3, valid: 3, issues: [] },
  'practitioners-aliases.csv': { kind: 'practitioners', rows: 1, valid: 1, issues: [] },
  'practitioners-bad-email.csv': { rows: 2, valid: 0, issues: ['E2 email ~not a valid email', 'E3 email ~is empty'] },
  'practitioners-contradiction.csv': { rows: 3, valid: 1, issues: ['E3 clinics ~line 2 enrolls them in', 'E4 family_name ~another family_name than line 2'] },
  'practitioners-email-two-npis.csv': { rows: 3, valid: 2, issues: ['E3 npi ~another npi than line 2'] },
  'practitioners-missing-email.csv': { file: [1, 'lacks the required column email of a practitioner roster'] },
  'practitioners-npi-two-emails.csv': { rows: 2, valid: 1, issues: ['E3 npi ~the NPI of line 2'] },
  'practitioners-npi.csv': { rows: 5, valid: 1, issues: ['E2 npi ~wrong check digit', 'E3 npi ~not 10 digits', 'E4 npi ~not 10 digits', 'E6 npi ~not 10 digits'] },
  'practitioners-valid.csv': { kind: 'practitioners', rows: 3, valid: 3, issues: [] },
  'quote-in-wrong-place.csv': { file: [3, 'Line 3 has a quote'] },
  'too-many-values.csv': { rows: 2, valid: 1, issues: ['E3 ~has 7 values but the header has 6 columns'] },
  'truncated-utf8.csv': { file: [3, 'Line 3 is not valid UTF-8'] },
  'unclosed-quote.csv': { file: [3, 'Line 3 has a quote that is not closed'] },
  'unknown-kind.csv': { file: [1, 'neither an mrn column'] },
  'utf16.csv': { file: [1, 'in UTF-16'] },
  'utf8-names.csv': { rows: 2, valid: 2, issues: [] },
  'whitespace-rows.csv': { rows: 2, valid: 2, issues: [] },
};

function asStrings(issues: readonly { severity: string; line: number; column?: string; message: string }[]): string[] {
  return issues.map((issue) => `${issue.severity === 'error' ? 'E' : 'W'}${issue.line}${issue.column ? ` ${issue.column}` : ''} ~${issue.message}`);
}

function matches(actual: string, expected: string): boolean {
  const [where, words] = expected.split(' ~') as [string, string];
  return actual.startsWith(`${where} ~`) && actual.includes(words);
}

describe('the roster corpus', () => {
  it('has at least 40 files, every one of them with its expectation', () => {
    const files = readdirSync(CORPUS).filter((name) => name.endsWith('.csv')).sort();
    expect(files.length).toBeGreaterThanOrEqual(40);
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(name, async () => {
      const result = await validateRoster(createReadStream(path.join(CORPUS, name)), { defaultMrnSystem: 'urn:test:mrn', today: TODAY });
      if (expected.file) {
        expect(result.fileError?.line).toBe(expected.file[0]);
        expect(result.fileError?.message).toContain(expected.file[1]);
      } else {
        expect(result.fileError).toBeUndefined();
      }
      if (expected.kind) expect(result.kind).toBe(expected.kind);
      if (expected.rows !== undefined) expect(result.rows).toBe(expected.rows);
      if (expected.valid !== undefined) expect(result.validRows).toBe(expected.valid);
      if (expected.issues) {
        const actual = asStrings(result.issues);
        expect(actual.length, actual.join('\n')).toBe(expected.issues.length);
        expected.issues.forEach((issue, index) => expect(matches(actual[index] as string, issue), `${actual[index]} vs ${issue}`).toBe(true));
      }
    });
  }
});
