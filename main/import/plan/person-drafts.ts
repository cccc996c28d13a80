/**
 * A roster's rows grouped by person, each row's clinics resolved to clinic ids. Rows whose
 * clinics cannot be resolved get an error here and take no part in the plan.
 */
import type { RosterIssue } from '../roster/roster-issue';
import type { RosterRow } from '../roster/roster-rows';
import { type ClinicDirectory, type ClinicEntry, isPlannedClinic } from './clinic-directory';

export interface PersonDraft {
  readonly key: string;
  readonly rows: RosterRow[];
  /** Clinic ids the file enrolls the person in, and unenrolls them from. */
  readonly enroll: Set<string>;
  readonly unenroll: Set<string>;
  /** Per row: the clinics its own action concerns (for the row's status). */
  readonly rowClinics: Map<number, string[]>;
}

export function personKeyOf(row: RosterRow): string {
  return row.kind === 'patients' ? `${row.mrnSystem}|${row.mrn}` : row.email;
}

export interface DraftResult {
  readonly drafts: Map<string, PersonDraft>;
  readonly issues: RosterIssue[];
  /** Names of clinics to create (option "create missing clinics"), as first written. */
  readonly clinicsToCreate: string[];
  readonly errorLines: Set<number>;
}

export function draftPeople(
  rows: readonly RosterRow[],
  directory: ClinicDirectory,
  clinicsColumn: { name: string; number: number } | undefined,
  createMissingClinics: boolean,
): DraftResult {
  const drafts = new Map<string, PersonDraft>();
  const issues: RosterIssue[] = [];
  const clinicsToCreate: string[] = [];
  const errorLines = new Set<number>();
  const at = (line: number, severity: RosterIssue['severity'], message: string): RosterIssue => ({
    severity,
    line,
    ...(clinicsColumn ? { column: clinicsColumn.name, columnNumber: clinicsColumn.number } : {}),
    message,
  });
  for (const row of rows) {
    const clinics: ClinicEntry[] = [];
    let failed = false;
    for (const reference of row.clinics) {
      const match = directory.resolve(reference);
      if ('found' in match) {
        clinics.push(match.found);
        if (!match.found.active && !isPlannedClinic(match.found) && row.action === 'enroll') {
          issues.push(at(row.line, 'warning', 'names a clinic that is deactivated: the person is enrolled in it all the same.'));
        }
      } else if ('missingName' in match && createMissingClinics && row.action === 'enroll') {
        const planned = directory.planned(match.missingName);
        if (!clinicsToCreate.includes(planned.name)) clinicsToCreate.push(planned.name);
        clinics.push(planned);
      } else if ('missingName' in match) {
        if (row.action === 'unenroll') {
          issues.push(at(row.line, 'warning', 'names a clinic that does not exist, so there is nothing to unenroll from it.'));
          continue;
        }
        issues.push(at(row.line, 'error', 'names a clinic that does not exist in this project. Check the name, or choose “create missing clinics”.'));
        failed = true;
      } else {
        issues.push(at(row.line, 'error', match.problem));
        failed = true;
      }
    }
    if (failed) {
      errorLines.add(row.line);
      continue;
    }
    const key = personKeyOf(row);
    const draft = drafts.get(key) ?? { key, rows: [], enroll: new Set<string>(), unenroll: new Set<string>(), rowClinics: new Map<number, string[]>() };
    draft.rows.push(row);
    draft.rowClinics.set(
      row.line,
      clinics.map((clinic) => clinic.id),
    );
    for (const clinic of clinics) (row.action === 'enroll' ? draft.enroll : draft.unenroll).add(clinic.id);
    drafts.set(key, draft);
  }
  return { drafts, issues, clinicsToCreate, errorLines };
}
