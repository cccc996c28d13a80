/** What a job kind is called on screen. */
export function jobLabel(kind: string): string {
  if (kind === 'enroll-patients') return 'Patient enrollment';
  if (kind === 'enroll-clinicians') return 'Clinician enrollment';
  return 'Background task';
}
