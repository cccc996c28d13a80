/** What a job kind is called on screen. */
export function jobLabel(kind: string): string {
  if (kind === 'import-roster') return 'Roster import';
  if (kind === 'enroll-patients') return 'Patient enrollment';
  if (kind === 'enroll-clinicians') return 'Clinician enrollment';
  if (kind === 'unenroll-patients') return 'Removing patients from a clinic';
  if (kind === 'unenroll-clinicians') return 'Removing clinicians from a clinic';
  if (kind === 'undo-import') return 'Undoing an import';
  if (kind === 'access-audit') return 'Access audit';
  if (kind === 'audit-repair') return 'Access audit fix';
  return 'Background task';
}
