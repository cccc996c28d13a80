/** Sentences about changes, in an administrator's words. */
import type { ClinicTag } from '../../preload/api/schemas/enrollment';

/** "Uptown Clinic", "Uptown and Riverside", "Uptown, Riverside and 3 more clinics". */
export function describeClinicList(clinics: readonly ClinicTag[]): string {
  const names = clinics.map((clinic) => clinic.name);
  if (names.length <= 1) return names[0] ?? 'no clinic';
  if (names.length === 2) return `${names[0]} and ${names[1]}`;
  if (names.length === 3) return `${names[0]}, ${names[1]} and ${names[2]}`;
  return `${names[0]}, ${names[1]} and ${names.length - 2} more clinics`;
}
