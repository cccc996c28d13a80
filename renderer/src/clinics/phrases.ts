const count = new Intl.NumberFormat();

/** "the 1,240 patients of Uptown Clinic", or "the patients of Uptown Clinic" while unknown. */
export function patientsPhrase(patientCount: number | null, clinicName: string): string {
  if (patientCount === null) return `the patients of ${clinicName}`;
  if (patientCount === 0) return `the patients of ${clinicName} (none yet)`;
  if (patientCount === 1) return `the 1 patient of ${clinicName}`;
  return `the ${count.format(patientCount)} patients of ${clinicName}`;
}
