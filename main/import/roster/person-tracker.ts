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

const FNV_OFFSET = 0x811c9dc5;
/** A second, independent 32 bits of a person's key start from another seed. */
const SECOND_SEED = 0x9747b28c;

/** FNV-1a over `text`, continuing from `state` (so a key in parts hashes as the parts joined). */
function fnv(text: string, state: number): number {
  let value = state;
  for (let index = 0; index < text.length; index++) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return value;
}

function hash(text: string, seed = FNV_OFFSET): number {
  return fnv(text, seed) >>> 0 || 1;
}

/** hash(text.toLowerCase()) without the copy for plain ASCII text (almost every value). */
function hashLower(text: string): number {
  let value = FNV_OFFSET;
  for (let index = 0; index < text.length; index++) {
    let code = text.charCodeAt(index);
    if (code > 127) return hash(text.toLowerCase());
    if (code >= 65 && code <= 90) code += 32;
    value ^= code;
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0 || 1;
}

/** murmur3's finalizer: spreads the second hash's bits, so the pair behaves as 64 bits. */
function mix(state: number): number {
  let value = state >>> 0;
  value ^= value >>> 16;
  value = Math.imul(value, 0x85ebca6b);
  value ^= value >>> 13;
  value = Math.imul(value, 0xc2b2ae35);
  return (value ^ (value >>> 16)) >>> 0;
}

/**
 * A person's key as two independent 32-bit hashes, computed once per row. A patient's key is
 * system|MRN: the system is the same on almost every row, so its part of the hash is kept, and
 * no joined string is built per row. Both are mixed, so the low bits of `high` can index the table.
 */
class KeyHasher {
  private prefix: string | undefined;
  private prefixStates: readonly [number, number] = [FNV_OFFSET, SECOND_SEED];
  high = 0;
  low = 0;

  of(prefix: string, rest: string): this {
    if (prefix !== this.prefix) {
      this.prefix = prefix;
      this.prefixStates = [fnv('|', fnv(prefix, FNV_OFFSET)), fnv('|', fnv(prefix, SECOND_SEED))];
    }
    this.high = mix(fnv(rest, this.prefixStates[0])) || 1;
    this.low = mix(fnv(rest, this.prefixStates[1]));
    return this;
  }
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
  /** The key's second hash per person, in the pages beside the rest. */
  private readonly lows: Uint32Array[] = [];
  /**
   * Two numbers per table cell: slot + 1 (0 is empty) and the key's first hash, so a probe
   * compares in the cell it reads and looks at `lows` only for the person it finds.
   */
  private cells = new Uint32Array(2 << 12);
  /** Whether the last findOrAdd added the person. */
  added = false;

  /** `width`: the compared columns the file has (a column it lacks is never given). */
  constructor(private readonly width: number) {}

  /** The person's slot, and whether it was added now (one probe of the table for both). */
  findOrAdd(high: number, low: number, line: number): number {
    if ((this.count + 1) * 4 > this.cells.length) this.grow();
    const mask = (this.cells.length >>> 1) - 1;
    let cell = high & mask;
    for (; ; cell = (cell + 1) & mask) {
      const slot = this.cells[cell * 2] as number;
      if (slot === 0) break;
      if (this.cells[cell * 2 + 1] === high && (this.lows[(slot - 1) >>> PAGE_BITS] as Uint32Array)[(slot - 1) & (PAGE - 1)] === low) {
        this.added = false;
        return slot - 1;
      }
    }
    const slot = this.count++;
    if ((slot & (PAGE - 1)) === 0) {
      this.lines.push(new Int32Array(PAGE));
      this.values.push(new Uint32Array(PAGE * this.width));
      this.clinics.push(new Int32Array(PAGE * INLINE_CLINICS).fill(-1));
      this.consents.push(new Int8Array(PAGE));
      this.lows.push(new Uint32Array(PAGE));
    }
    (this.lows[slot >>> PAGE_BITS] as Uint32Array)[slot & (PAGE - 1)] = low;
    this.cells[cell * 2] = slot + 1;
    this.cells[cell * 2 + 1] = high;
    (this.lines[slot >>> PAGE_BITS] as Int32Array)[slot & (PAGE - 1)] = line;
    this.added = true;
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

  /** Twice the cells, each person placed again by the first hash its cell keeps. */
  private grow(): void {
    const old = this.cells;
    this.cells = new Uint32Array(old.length * 2);
    const mask = (this.cells.length >>> 1) - 1;
    for (let at = 0; at < old.length; at += 2) {
      const slot = old[at] as number;
      if (slot === 0) continue;
      const high = old[at + 1] as number;
      let cell = high & mask;
      while (this.cells[cell * 2] !== 0) cell = (cell + 1) & mask;
      this.cells[cell * 2] = slot;
      this.cells[cell * 2 + 1] = high;
    }
  }
}

const PATIENT_VALUES = ['given_name', 'family_name', 'birth_date', 'gender', 'email', 'phone'] as const;
const PRACTITIONER_VALUES = ['given_name', 'family_name', 'npi', 'phone'] as const;

const hashOf = (value: string | undefined): number => (value ? hashLower(value) : 0);

/** The hashes of the compared values, in PATIENT_VALUES' order (0: not given). */
function patientValues(row: PatientRosterRow, into: Uint32Array): void {
  into[0] = hashOf(row.givenName);
  into[1] = hashOf(row.familyName);
  into[2] = hashOf(row.birthDate);
  into[3] = hashOf(row.gender);
  into[4] = hashOf(row.email);
  into[5] = hashOf(row.phone);
}

function practitionerValues(row: PractitionerRosterRow, into: Uint32Array): void {
  into[0] = hashOf(row.givenName);
  into[1] = hashOf(row.familyName);
  into[2] = hashOf(row.npi);
  into[3] = hashOf(row.phone);
}

export class PersonTracker {
  private table: PersonTable | undefined;
  /** Per compared column, its place in the table (-1: the file has no such column). */
  private places: number[] = [];
  private readonly clinicCodes = new Map<string, number>();
  /** Per clinics array the rules handed out: its codes to enroll and to unenroll. */
  private readonly codesOfClinics = new WeakMap<object, readonly [readonly number[], readonly number[]]>();
  private readonly keys = new KeyHasher();
  /** The row's value hashes, reused from row to row (one row is tracked at a time). */
  private readonly valueHashes = new Uint32Array(PATIENT_VALUES.length);
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
    const patient = row.kind === 'patients';
    const columns = patient ? PATIENT_VALUES : PRACTITIONER_VALUES;
    const values = this.valueHashes;
    if (patient) patientValues(row, values);
    else practitionerValues(row, values);
    const clinics = this.clinicCodesOf(row.clinics, row.action === 'unenroll' ? 1 : 0);
    const noun = patient ? 'patient (same MRN)' : 'clinician (same email)';
    const consent = patient ? row.consent : undefined;

    if (row.kind === 'practitioners' && row.npi) {
      const earlier = this.npis.get(row.npi);
      if (earlier && earlier.email !== hash(row.email)) {
        return { column: 'npi', earlierLine: earlier.line, message: `has the NPI of line ${earlier.line}, which has another email: one NPI is one clinician. Fix one of the two rows.` };
      }
    }
    const people = this.tableFor(columns);
    const places = this.places;
    const key = patient ? this.keys.of(row.mrnSystem, row.mrn) : this.keys.of('', row.email);
    const slot = people.findOrAdd(key.high, key.low, row.line);
    if (people.added) {
      for (let column = 0; column < columns.length; column++) {
        const place = places[column] ?? -1;
        if (place >= 0) people.setValue(slot, place, values[column] ?? 0);
      }
      for (const code of clinics) people.addClinic(slot, code);
      if (consent !== undefined) people.setConsent(slot, consent);
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
    for (let column = 0; column < columns.length; column++) {
      const value = values[column] ?? 0;
      const place = places[column] ?? -1;
      if (value !== 0 && place >= 0 && people.value(slot, place) === 0) people.setValue(slot, place, value);
    }
    for (const code of clinics) if (!known.includes(code)) people.addClinic(slot, code);
    if (consent !== undefined) people.setConsent(slot, consent);
    if (row.kind === 'practitioners' && row.npi && !this.npis.has(row.npi)) this.npis.set(row.npi, { line: row.line, email: hash(row.email) });
    return undefined;
  }

  /**
   * The row's clinics as codes, each twice its clinic's number plus 1 for unenroll. The rules hand
   * out one array per distinct clinics value, so the codes are worked out once per array.
   */
  private clinicCodesOf(references: RosterRow['clinics'], unenroll: 0 | 1): readonly number[] {
    let codes = this.codesOfClinics.get(references);
    if (codes === undefined) {
      const found: number[] = [];
      for (const reference of references) {
        const code = this.codeOf(clinicReferenceKey(reference)) * 2;
        // Two spellings of one clinic are one clinic.
        if (!found.includes(code)) found.push(code);
      }
      codes = [found, found.map((code) => code + 1)];
      this.codesOfClinics.set(references, codes);
    }
    return codes[unenroll];
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
