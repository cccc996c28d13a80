/**
 * The same person on several rows: rows that agree are merged, and a row that contradicts an
 * earlier one (enroll and unenroll of one clinic, other demographics, the other consent) is an
 * error naming the earlier line. Kept small for million-row files: per person the first line,
 * a 32-bit hash of each value given, and the clinics with their action. A hash collision can
 * only ever make a false contradiction, never hide a real one: it is visible, not silent.
 */
import { clinicReferenceKey } from '../../../preload/api/roster/rules';
import type { PatientRosterRow, PractitionerRosterRow, RosterRow } from './roster-rows';

export interface Contradiction {
  /** The column key the contradiction is about. */
  readonly column: string;
  readonly message: string;
  readonly earlierLine: number;
}

interface PersonState {
  readonly line: number;
  /** One hash per compared column, 0 where the rows so far gave none. */
  readonly values: number[];
  /** Interned clinic code × 2, + 1 for unenroll. */
  readonly clinics: number[];
  consent?: boolean;
}

function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0 || 1;
}

const PATIENT_VALUES = ['given_name', 'family_name', 'birth_date', 'gender', 'email', 'phone'] as const;
const PRACTITIONER_VALUES = ['given_name', 'family_name', 'npi', 'phone'] as const;

function patientValues(row: PatientRosterRow): (string | undefined)[] {
  return [row.givenName, row.familyName, row.birthDate, row.gender, row.email, row.phone];
}

function practitionerValues(row: PractitionerRosterRow): (string | undefined)[] {
  return [row.givenName, row.familyName, row.npi, row.phone];
}

export class PersonTracker {
  private readonly people = new Map<string, PersonState>();
  private readonly clinicCodes = new Map<string, number>();
  /** Practitioners: NPI → the line and email that first gave it. */
  private readonly npis = new Map<string, { line: number; email: number }>();

  /** Records the row, or says how it contradicts an earlier one (and then records nothing). */
  add(row: RosterRow): Contradiction | undefined {
    const key = row.kind === 'patients' ? `${row.mrnSystem}|${row.mrn}` : row.email;
    const columns = row.kind === 'patients' ? PATIENT_VALUES : PRACTITIONER_VALUES;
    const values = (row.kind === 'patients' ? patientValues(row) : practitionerValues(row)).map((value) => (value ? hash(value.toLowerCase()) : 0));
    const clinics = row.clinics.map((reference) => this.codeOf(clinicReferenceKey(reference)) * 2 + (row.action === 'unenroll' ? 1 : 0));
    const noun = row.kind === 'patients' ? 'patient (same MRN)' : 'clinician (same email)';

    if (row.kind === 'practitioners' && row.npi) {
      const earlier = this.npis.get(row.npi);
      if (earlier && earlier.email !== hash(row.email)) {
        return { column: 'npi', earlierLine: earlier.line, message: `has the NPI of line ${earlier.line}, which has another email: one NPI is one clinician. Fix one of the two rows.` };
      }
    }
    const state = this.people.get(key);
    if (!state) {
      this.people.set(key, { line: row.line, values, clinics, ...(row.kind === 'patients' && row.consent !== undefined ? { consent: row.consent } : {}) });
      if (row.kind === 'practitioners' && row.npi) this.npis.set(row.npi, { line: row.line, email: hash(row.email) });
      return undefined;
    }
    for (let index = 0; index < columns.length; index++) {
      const mine = values[index] ?? 0;
      const theirs = state.values[index] ?? 0;
      if (mine !== 0 && theirs !== 0 && mine !== theirs) {
        return {
          column: columns[index] as string,
          earlierLine: state.line,
          message: `gives another ${columns[index]} than line ${state.line} for the same ${noun}. Fix one of the two rows.`,
        };
      }
    }
    for (const code of clinics) {
      if (state.clinics.includes(code ^ 1)) {
        return {
          column: 'clinics',
          earlierLine: state.line,
          message: `${code & 1 ? 'unenrolls' : 'enrolls'} the same ${noun} ${code & 1 ? 'from' : 'in'} a clinic that line ${state.line} ${code & 1 ? 'enrolls them in' : 'unenrolls them from'}. Keep one of the two rows.`,
        };
      }
    }
    if (row.kind === 'patients' && row.consent !== undefined && state.consent !== undefined && row.consent !== state.consent) {
      return { column: 'consent', earlierLine: state.line, message: `says consent ${row.consent ? 'yes' : 'no'} where line ${state.line} says ${state.consent ? 'yes' : 'no'} for the same ${noun}. Keep one of the two rows.` };
    }
    // They agree: merge what this row adds.
    values.forEach((value, index) => {
      if (value !== 0 && (state.values[index] ?? 0) === 0) state.values[index] = value;
    });
    for (const code of clinics) if (!state.clinics.includes(code)) state.clinics.push(code);
    if (row.kind === 'patients' && row.consent !== undefined) state.consent = row.consent;
    if (row.kind === 'practitioners' && row.npi && !this.npis.has(row.npi)) this.npis.set(row.npi, { line: row.line, email: hash(row.email) });
    return undefined;
  }

  private codeOf(clinicKey: string): number {
    let code = this.clinicCodes.get(clinicKey);
    if (code === undefined) {
      code = this.clinicCodes.size;
      this.clinicCodes.set(clinicKey, code);
    }
    return code;
  }
}
