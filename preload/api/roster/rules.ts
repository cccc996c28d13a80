/**
 * The value rules of roster rows, in one place for the import engine, the command line and the
 * app's format page. Each check returns the normalized value or a message that says what is
 * wrong and what to do, and never repeats the value (messages go to logs and reports).
 */
import { z } from 'zod';
import { isValidNpi } from '../rules/identifiers';

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const fail = <T>(message: string): Checked<T> => ({ ok: false, message });

export const NAME_MAX = 200;

export function checkName(value: string): Checked<string> {
  if (value.length === 0) return fail('is empty: give the name.');
  if (value.length > NAME_MAX) return fail(`is longer than ${NAME_MAX} characters.`);
  return ok(value);
}

export function checkMrn(value: string): Checked<string> {
  if (value.length === 0) return fail('is empty: every patient needs their MRN.');
  if (value.length > 64) return fail('is longer than 64 characters.');
  if (/\s/.test(value)) return fail('has a space in it; an MRN has none.');
  return ok(value);
}

export function checkAbsoluteUri(value: string): Checked<string> {
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(value) || value.length > 2048) {
    return fail('is not an absolute URI (for example https://example.org/mrn).');
  }
  return ok(value);
}

const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` or US `M/D/YYYY`, a real calendar date from 1900 to `today` (YYYY-MM-DD). */
export function checkBirthDate(value: string, today: string): Checked<string> {
  const iso = ISO_DATE.exec(value);
  const us = iso ? null : US_DATE.exec(value);
  if (!iso && !us) return fail('is not a date: write it as YYYY-MM-DD or M/D/YYYY.');
  const [year, month, day] = iso ? [iso[1], iso[2], iso[3]] : [us?.[3], us?.[1], us?.[2]];
  const normalized = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const parsed = new Date(`${normalized}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== normalized) return fail('is not a real calendar date.');
  if (normalized < '1900-01-01') return fail('is before 1900.');
  if (normalized > today) return fail('is in the future.');
  return ok(normalized);
}

export type Gender = 'male' | 'female' | 'other' | 'unknown';
const GENDERS: Record<string, Gender> = { male: 'male', m: 'male', female: 'female', f: 'female', other: 'other', o: 'other', unknown: 'unknown', u: 'unknown' };

/** The one-letter forms by their lower-case character code, answered without a string per row. */
const GENDER_LETTERS = new Map<number, Checked<Gender>>([
  [0x6d, ok('male')],
  [0x66, ok('female')],
  [0x6f, ok('other')],
  [0x75, ok('unknown')],
]);

export function checkGender(value: string): Checked<Gender> {
  // `| 0x20` lower-cases an ASCII letter; only f, m, o and u (in either case) are in the map.
  const letter = value.length === 1 ? GENDER_LETTERS.get(value.charCodeAt(0) | 0x20) : undefined;
  if (letter) return letter;
  const gender = GENDERS[value.toLowerCase()];
  return gender ? ok(gender) : fail('is not one of male, female, other, unknown (or M, F, O, U).');
}

export type RowAction = 'enroll' | 'unenroll';

export function checkAction(value: string): Checked<RowAction> {
  const action = value.toLowerCase();
  if (action === '' || action === 'enroll') return ok('enroll');
  if (action === 'unenroll') return ok('unenroll');
  return fail('is not enroll or unenroll.');
}

/** yes / no / blank (leave consent as it is). */
export function checkConsent(value: string): Checked<boolean | undefined> {
  const answer = value.toLowerCase();
  if (answer === '') return ok(undefined);
  if (answer === 'yes') return ok(true);
  if (answer === 'no') return ok(false);
  return fail('is not yes, no or blank.');
}

const emailSchema = z.email();

export function checkEmail(value: string): Checked<string> {
  if (value.length > 320 || !emailSchema.safeParse(value).success) return fail('is not a valid email address.');
  return ok(value.toLowerCase());
}

export function checkNpi(value: string): Checked<string> {
  if (!/^\d{10}$/.test(value)) return fail('is not 10 digits.');
  if (!isValidNpi(value)) return fail('has a wrong check digit: check the NPI for a typing mistake.');
  return ok(value);
}

/** How a roster names one clinic. */
export type ClinicReference =
  | { kind: 'name'; name: string }
  | { kind: 'id'; id: string }
  | { kind: 'identifier'; system: string; value: string };

/** How clinic names are compared everywhere (pickers, uniqueness, roster files): trimmed, inner spaces collapsed, case-folded. */
export function clinicNameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').normalize('NFC').toLocaleLowerCase('en-US');
}

/** A stable key for a reference: the same clinic named the same way gives the same key. */
export function clinicReferenceKey(reference: ClinicReference): string {
  switch (reference.kind) {
    case 'name':
      return `name:${clinicNameKey(reference.name)}`;
    case 'id':
      return `id:${reference.id}`;
    case 'identifier':
      return `identifier:${reference.system}|${reference.value}`;
  }
}

const MEDPLUM_ID = /^[A-Za-z0-9\-.]{1,64}$/;

export function checkClinics(value: string): Checked<ClinicReference[]> {
  // A stray or trailing ";" names no clinic and is passed over.
  const items = value
    .split(';')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) return fail('names no clinic: give at least one.');
  const references: ClinicReference[] = [];
  for (const item of items) {
    if (item.startsWith('Organization/')) {
      const id = item.slice('Organization/'.length);
      if (!MEDPLUM_ID.test(id)) return fail('has an Organization/<id> whose id is not a Medplum id.');
      references.push({ kind: 'id', id });
    } else if (item.includes('|')) {
      const [system, identifierValue, ...rest] = item.split('|');
      if (rest.length > 0 || !system || !identifierValue) return fail('has an identifier that is not <system>|<value>.');
      references.push({ kind: 'identifier', system: system.trim(), value: identifierValue.trim() });
    } else if (item.length > NAME_MAX) {
      return fail(`has a clinic name longer than ${NAME_MAX} characters.`);
    } else {
      references.push({ kind: 'name', name: item });
    }
  }
  // The same clinic named twice counts once, as first written.
  const unique = new Map<string, ClinicReference>();
  for (const reference of references) if (!unique.has(clinicReferenceKey(reference))) unique.set(clinicReferenceKey(reference), reference);
  return ok([...unique.values()]);
}
