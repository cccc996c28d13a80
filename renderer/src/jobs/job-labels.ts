/** What a job kind is called on screen. */
export function jobLabel(kind: string): string {
  if (kind === 'enroll-patients') return 'Patient enrollment';
  if (kind === 'enroll-clinicians') return 'Clinician enrollment';
  if (kind === 'unenroll-patients') return 'Removing patients from a clinic';
  if (kind === 'unenroll-clinicians') return 'Removing clinicians from a clinic';
  return 'Background task';
}
