/** Pieces of the before-a-change sentences, in an administrator's words. */

const numbers = new Intl.NumberFormat();

export function formatCount(count: number): string {
  return numbers.format(count);
}

/** "Uptown", "Uptown and Riverside", "Uptown, Riverside and Eastside": every name, none hidden. */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export interface ClinicWithCount {
  name: string;
  patientCount: number;
}

/**
 * "the 1,240 patients of Uptown Clinic"; with several clinics each count stays beside its clinic,
 * since a patient in two clinics would be counted twice in a sum.
 */
export function patientsOfClinics(clinics: readonly ClinicWithCount[]): string {
  if (clinics.length === 1) {
    const [clinic] = clinics as [ClinicWithCount];
    if (clinic.patientCount === 0) return `the patients of ${clinic.name} (none yet)`;
    if (clinic.patientCount === 1) return `the 1 patient of ${clinic.name}`;
    return `the ${formatCount(clinic.patientCount)} patients of ${clinic.name}`;
  }
  return `the patients of ${listNames(clinics.map((clinic) => `${clinic.name} (${formatCount(clinic.patientCount)})`))}`;
}

/** "The 5 clinicians of Uptown Clinic", as the patient-side twin of "the 1,240 patients of …". */
export function cliniciansOf(count: number, clinicName: string): string {
  if (count === 0) return `Clinicians of ${clinicName}`;
  if (count === 1) return `The 1 clinician of ${clinicName}`;
  return `The ${formatCount(count)} clinicians of ${clinicName}`;
}

/** "Uptown Clinic (1,240 patients)". */
export function clinicWithPatientCount(clinic: ClinicWithCount): string {
  return `${clinic.name} (${formatCount(clinic.patientCount)} ${clinic.patientCount === 1 ? 'patient' : 'patients'})`;
}

/** "Jane Doe's" / "James's": the possessive the sentences need. */
export function possessive(name: string): string {
  return name.endsWith('s') ? `${name}'` : `${name}'s`;
}

export function personName(givenName: string, familyName: string, fallback: string): string {
  return [givenName.trim(), familyName.trim()].filter(Boolean).join(' ') || fallback;
}
