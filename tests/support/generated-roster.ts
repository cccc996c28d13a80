/**
 * Generated rosters for the large import test and the benchmarks: row `index` is always the same
 * person with the same clinics, so a test can say what the server must hold without keeping the
 * file in memory, and a benchmark can stream a million rows to disk.
 */
import { createWriteStream } from 'node:fs';

export const PATIENT_HEADER = 'mrn,given_name,family_name,birth_date,gender,clinics';
export const PRACTITIONER_HEADER = 'npi,given_name,family_name,email,clinics';

export interface GeneratedPerson {
  /** MRN (patients) or email (practitioners). */
  readonly key: string;
  /** Names of the person's clinics, in the file's order. */
  readonly clinics: readonly string[];
  readonly line: string;
}

/** One or two clinics, spread so that every clinic gets people of its own and shared ones. */
function clinicsOf(index: number, clinics: readonly string[]): string[] {
  const first = clinics[index % clinics.length] as string;
  const second = clinics[(index + 1) % clinics.length] as string;
  return index % 5 === 0 && clinics.length > 1 ? [first, second] : [first];
}

export function patientRow(index: number, clinics: readonly string[], prefix: string): GeneratedPerson {
  const mrn = `${prefix}-${index}`;
  const mine = clinicsOf(index, clinics);
  const birth = `19${String(40 + (index % 60))}-${String(1 + (index % 12)).padStart(2, '0')}-${String(1 + (index % 28)).padStart(2, '0')}`;
  return { key: mrn, clinics: mine, line: `${mrn},Given${index % 977},Family${index % 1009},${birth},${index % 2 ? 'F' : 'M'},${mine.join(';')}` };
}

export function practitionerRow(index: number, clinics: readonly string[], prefix: string): GeneratedPerson {
  const email = `${prefix}.clinician${index}@example.test`.toLowerCase();
  const mine = clinicsOf(index, clinics);
  return { key: email, clinics: mine, line: `,Staff${index},${prefix}Clinician,${email},${mine.join(';')}` };
}

/** Streams `rows` generated rows (with their header) to `path`. */
export async function writeGeneratedRoster(
  path: string,
  header: string,
  rows: number,
  row: (index: number) => GeneratedPerson,
): Promise<void> {
  const out = createWriteStream(path);
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve())));
  await write(`${header}\n`);
  let chunk = '';
  for (let index = 0; index < rows; index++) {
    chunk += `${row(index).line}\n`;
    if (chunk.length > 64 * 1024) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}
