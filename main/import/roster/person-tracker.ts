/**
 * The same person on several rows: rows that agree are merged, and a row that contradicts an
 * earlier one (enroll and unenroll of one clinic, other demographics, the other consent) is an
 * error naming the earlier line. Kept small for million-row files (about 50 bytes a person, in
 * typed arrays): per person the first line, a 32-bit hash of each value given, and the clinics
 * with their action, found by a 64-bit hash of the person's key. A hash collision can only ever
 * make a false contradiction, never hide a real one: it is visible, not silent.
 */
import { clinicReferenceKey } from '../../../preload/api/roster/rules';
import type { PatientRosterRow, PractitionerRosterRow, RosterRow } from './roster-rows';

export interface Contradiction {
  /** The column key the contradiction is about. */
  readonly column: string;
  readonly message: string;
  readonly earlierLine: number;
}

function hash(text: string, seed = 0x811c9dc5): number {
  let value = seed;
  for (let index = 0; index < text.length; index++) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0 || 1;
}

/** hash(text.toLowerCase()) without the copy for plain ASCII text (almost every value). */
function hashLower(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    let code = text.charCodeAt(index);
    if (code > 127) return hash(text.toLowerCase());
    if (code >= 65 && code <= 90) code += 32;
    value ^= code;
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0 || 1;
}

/** A second, independent 32 bits of a person's key (murmur3's finalizer over a seeded FNV). */
function hash2(text: string): number {
  let value = hash(text, 0x9747b28c);
  value ^= value >>> 16;
  value = Math.imul(value, 0x85ebca6b);
  value ^= value >>> 13;
  value = Math.imul(value, 0xc2b2ae35);
  return (value ^ (value >>> 16)) >>> 0;
}

const PAGE_BITS = 16;
const PAGE = 1 << PAGE_BITS;
/** Clinic codes kept in place per person; more go to a side table (rare: a person in many clinics). */
const INLINE_CLINICS = 2;

/**
 * The people seen so far, in typed arrays of fixed pages (so growing never copies what is there):
 * per person the first line, the value hashes, two clinic codes and the consent. People are found
 * by a 64-bit hash of their key in an open-addressing table, so no key string is kept.
 */
class PersonTable {
  private count = 0;
  private readonly lines: Int32Array[] = [];
  private readonly values: Uint32Array[] = [];
  private readonly clinics: Int32Array[] = [];
  private readonly consents: Int8Array[] = [];
  private readonly moreClinics = new Map<number, number[]>();
  /** The key's two hashes per person, in the pages beside the rest. */
  private readonly keys: Uint32Array[] = [];
  /** Slot + 1 per table cell; 0 is empty. */
  private cells = new Int32Array(1 << 12);

  /** `width`: the compared columns the file has (a column it lacks is never given). */
  constructor(private readonly width: number) {}

  find(key: string): number | undefined {
    const [high, low] = [hash(key), hash2(key)];
    const mask = this.cells.length - 1;
    for (let cell = (high ^ low) & mask; ; cell = (cell + 1) & mask) {
      const slot = this.cells[cell] as number;
      if (slot === 0) return undefined;
      const keys = this.keys[(slot - 1) >>> PAGE_BITS] as Uint32Array;
      const at = ((slot - 1) & (PAGE - 1)) * 2;
      if (keys[at] === high && keys[at + 1] === low) return slot - 1;
    }
  }

  add(key: string, line: number): number {
    if ((this.count + 1) * 2 > this.cells.length) this.grow();
    const slot = this.count++;
    if ((slot & (PAGE - 1)) === 0) {
      this.lines.push(new Int32Array(PAGE));
      this.values.push(new Uint32Array(PAGE * this.width));
      this.clinics.push(new Int32Array(PAGE * INLINE_CLINICS).fill(-1));
      this.consents.push(new Int8Array(PAGE));
      this.keys.push(new Uint32Array(PAGE * 2));
    }
    const [high, low] = [hash(key), hash2(key)];
    const keys = this.keys[slot >>> PAGE_BITS] as Uint32Array;
    keys[(slot & (PAGE - 1)) * 2] = high;
    keys[(slot & (PAGE - 1)) * 2 + 1] = low;
    this.place(high, low, slot);
    (this.lines[slot >>> PAGE_BITS] as Int32Array)[slot & (PAGE - 1)] = line;
    return slot;
  }

  line(slot: number): number {
    return (this.lines[slot >>> PAGE_BITS] as Int32Array)[slot & (PAGE - 1)] as number;
  }

  value(slot: number, column: number): number {
    return (this.values[slot >>> PAGE_BITS] as Uint32Array)[(slot & (PAGE - 1)) * this.width + column] as number;
  }

  setValue(slot: number, column: number, value: number): void {
    (this.values[slot >>> PAGE_BITS] as Uint32Array)[(slot & (PAGE - 1)) * this.width + column] = value;
  }

  clinicCodes(slot: number): number[] {
    const page = this.clinics[slot >>> PAGE_BITS] as Int32Array;
    const at = (slot & (PAGE - 1)) * INLINE_CLINICS;
    const codes: number[] = [];
    for (let index = 0; index < INLINE_CLINICS; index++) {
      const code = page[at + index] as number;
      if (code >= 0) codes.push(code);
    }
    return [...codes, ...(this.moreClinics.get(slot) ?? [])];
  }

  addClinic(slot: number, code: number): void {
    const page = this.clinics[slot >>> PAGE_BITS] as Int32Array;
    const at = (slot & (PAGE - 1)) * INLINE_CLINICS;
    for (let index = 0; index < INLINE_CLINICS; index++) {
      if (page[at + index] === -1) {
        page[at + index] = code;
        return;
      }
    }
    this.moreClinics.set(slot, [...(this.moreClinics.get(slot) ?? []), code]);
  }

  /** undefined when no row has said. */
  consent(slot: number): boolean | undefined {
    const value = (this.consents[slot >>> PAGE_BITS] as Int8Array)[slot & (PAGE - 1)];
    return value === 0 ? undefined : value === 2;
  }

  setConsent(slot: number, consent: boolean): void {
    (this.consents[slot >>> PAGE_BITS] as Int8Array)[slot & (PAGE - 1)] = consent ? 2 : 1;
  }

  private place(high: number, low: number, slot: number): void {
    const mask = this.cells.length - 1;
    let cell = (high ^ low) & mask;
    while (this.cells[cell] !== 0) cell = (cell + 1) & mask;
    this.cells[cell] = slot + 1;
  }

  private grow(): void {
    this.cells = new Int32Array(this.cells.length * 2);
    for (let slot = 0; slot < this.count; slot++) {
      const keys = this.keys[slot >>> PAGE_BITS] as Uint32Array;
      const at = (slot & (PAGE - 1)) * 2;
      this.place(keys[at] as number, keys[at + 1] as number, slot);
    }
  }
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
  private table: PersonTable | undefined;
  /** Per compared column, its place in the table (-1: the file has no such column). */
  private places: number[] = [];
  private readonly clinicCodes = new Map<string, number>();
  /** The rules hand out one reference object per distinct clinics value: its code is looked up once. */
  private readonly codesOfReference = new WeakMap<object, number>();
  /** Practitioners: NPI → the line and email that first gave it. */
  private readonly npis = new Map<string, { line: number; email: number }>();

  /** `columns`: the column keys the file's header has (all when not given). */
  constructor(private readonly columns?: ReadonlySet<string>) {}

  private tableFor(compared: readonly string[]): PersonTable {
    if (!this.table) {
      let width = 0;
      this.places = compared.map((column) => (!this.columns || this.columns.has(column) ? width++ : -1));
      this.table = new PersonTable(Math.max(1, width));
    }
    return this.table;
  }

  /** Records the row, or says how it contradicts an earlier one (and then records nothing). */
  add(row: RosterRow): Contradiction | undefined {
    const key = row.kind === 'patients' ? `${row.mrnSystem}|${row.mrn}` : row.email;
    const columns = row.kind === 'patients' ? PATIENT_VALUES : PRACTITIONER_VALUES;
    const values = (row.kind === 'patients' ? patientValues(row) : practitionerValues(row)).map((value) => (value ? hashLower(value) : 0));
    const clinics = row.clinics.map((reference) => this.referenceCode(reference) * 2 + (row.action === 'unenroll' ? 1 : 0));
    const noun = row.kind === 'patients' ? 'patient (same MRN)' : 'clinician (same email)';
    const consent = row.kind === 'patients' ? row.consent : undefined;

    if (row.kind === 'practitioners' && row.npi) {
      const earlier = this.npis.get(row.npi);
      if (earlier && earlier.email !== hash(row.email)) {
        return { column: 'npi', earlierLine: earlier.line, message: `has the NPI of line ${earlier.line}, which has another email: one NPI is one clinician. Fix one of the two rows.` };
      }
    }
    const people = this.tableFor(columns);
    const places = this.places;
    const slot = people.find(key);
    if (slot === undefined) {
      const added = people.add(key, row.line);
      values.forEach((value, column) => {
        const place = places[column] ?? -1;
        if (place >= 0) people.setValue(added, place, value);
      });
      for (const code of clinics.length > 1 ? new Set(clinics) : clinics) people.addClinic(added, code);
      if (consent !== undefined) people.setConsent(added, consent);
      if (row.kind === 'practitioners' && row.npi) this.npis.set(row.npi, { line: row.line, email: hash(row.email) });
      return undefined;
    }
    const line = people.line(slot);
    for (let index = 0; index < columns.length; index++) {
      const mine = values[index] ?? 0;
      const place = places[index] ?? -1;
      const theirs = place >= 0 ? people.value(slot, place) : 0;
      if (mine !== 0 && theirs !== 0 && mine !== theirs) {
        return {
          column: columns[index] as string,
          earlierLine: line,
          message: `gives another ${columns[index]} than line ${line} for the same ${noun}. Fix one of the two rows.`,
        };
      }
    }
    const known = people.clinicCodes(slot);
    for (const code of clinics) {
      if (known.includes(code ^ 1)) {
        return {
          column: 'clinics',
          earlierLine: line,
          message: `${code & 1 ? 'unenrolls' : 'enrolls'} the same ${noun} ${code & 1 ? 'from' : 'in'} a clinic that line ${line} ${code & 1 ? 'enrolls them in' : 'unenrolls them from'}. Keep one of the two rows.`,
        };
      }
    }
    const earlierConsent = people.consent(slot);
    if (consent !== undefined && earlierConsent !== undefined && consent !== earlierConsent) {
      return { column: 'consent', earlierLine: line, message: `says consent ${consent ? 'yes' : 'no'} where line ${line} says ${earlierConsent ? 'yes' : 'no'} for the same ${noun}. Keep one of the two rows.` };
    }
    // They agree: merge what this row adds.
    values.forEach((value, column) => {
      const place = places[column] ?? -1;
      if (value !== 0 && place >= 0 && people.value(slot, place) === 0) people.setValue(slot, place, value);
    });
    for (const code of new Set(clinics)) if (!known.includes(code)) people.addClinic(slot, code);
    if (consent !== undefined) people.setConsent(slot, consent);
    if (row.kind === 'practitioners' && row.npi && !this.npis.has(row.npi)) this.npis.set(row.npi, { line: row.line, email: hash(row.email) });
    return undefined;
  }

  private referenceCode(reference: RosterRow['clinics'][number]): number {
    let code = this.codesOfReference.get(reference);
    if (code === undefined) {
      code = this.codeOf(clinicReferenceKey(reference));
      this.codesOfReference.set(reference, code);
    }
    return code;
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
