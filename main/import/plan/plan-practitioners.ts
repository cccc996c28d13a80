/** What a practitioner roster changes for each clinician, against the server's current state. */
import { clinicsOf } from '../../engines/access-list';
import type { EngineContext } from '../../engines/engine-context';
import type { RosterIssue } from '../roster/roster-issue';
import type { PractitionerRosterRow } from '../roster/roster-rows';
import { findPractitioners } from './find-existing';
import type { PlannedPerson } from './import-plan';
import type { PersonDraft } from './person-drafts';

export async function planPractitioners(
  ctx: EngineContext,
  drafts: readonly PersonDraft[],
): Promise<{ people: PlannedPerson[]; issues: RosterIssue[]; errorLines: Set<number>; searches: number }> {
  const rowsOf = (draft: PersonDraft) => draft.rows as PractitionerRosterRow[];
  const npiOf = (draft: PersonDraft) => rowsOf(draft).find((row) => row.npi)?.npi;
  const npis = drafts.map(npiOf).filter((npi): npi is string => npi !== undefined);
  const existing = await findPractitioners(ctx, npis, drafts.map((draft) => draft.key));
  const people: PlannedPerson[] = [];
  const issues: RosterIssue[] = [];
  const errorLines = new Set<number>();
  const refuse = (lines: readonly number[], column: string, message: string) => {
    for (const line of lines) {
      issues.push({ severity: 'error', line, column, message });
      errorLines.add(line);
    }
  };
  for (const draft of drafts) {
    const rows = rowsOf(draft);
    const first = rows[0] as PractitionerRosterRow;
    const lines = rows.map((row) => row.line);
    const npi = npiOf(draft);
    const byNpi = npi ? (existing.byNpi.get(npi) ?? []) : [];
    const byEmail = existing.byEmail.get(draft.key) ?? [];
    if (byNpi.length > 1) {
      refuse(lines, 'npi', `names an NPI that ${byNpi.length} clinicians of the project have: merge them before importing.`);
      continue;
    }
    if (byEmail.length > 1 && byNpi.length === 0) {
      refuse(lines, 'email', `names an email that ${byEmail.length} clinicians of the project have: give their NPI to tell them apart.`);
      continue;
    }
    if (byNpi[0] && byEmail.length > 0 && !byEmail.some((practitioner) => practitioner.id === byNpi[0]?.id)) {
      refuse(lines, 'npi', 'names an NPI of one clinician and the email of another: check which person this row means.');
      continue;
    }
    const practitioner = byNpi[0] ?? byEmail[0];
    const memberships = practitioner ? (existing.memberships.get(practitioner.id) ?? []) : [];
    if (!practitioner || memberships.length === 0) {
      if (draft.enroll.size === 0) {
        for (const line of lines) issues.push({ severity: 'warning', line, message: 'unenrolls a clinician who has no sign-in in the project: nothing to do.' });
        people.push({ kind: 'practitioners', key: draft.key, lines, row: first, add: [], remove: [], differingColumns: [], action: 'unchanged' });
        continue;
      }
      people.push({
        kind: 'practitioners',
        key: draft.key,
        lines,
        row: first,
        ...(practitioner ? { existingId: practitioner.id } : {}),
        add: [...draft.enroll],
        remove: [],
        differingColumns: [],
        action: 'create',
      });
      continue;
    }
    const current = new Set(memberships.flatMap((membership) => clinicsOf(membership)).map((reference) => reference.slice('Organization/'.length)));
    const add = [...draft.enroll].filter((id) => !current.has(id));
    const remove = [...draft.unenroll].filter((id) => current.has(id));
    for (const row of rows.filter((candidate) => candidate.action === 'unenroll')) {
      if ((draft.rowClinics.get(row.line) ?? []).some((id) => !current.has(id))) {
        issues.push({ severity: 'warning', line: row.line, message: 'unenrolls the clinician from a clinic they are not in: that part changes nothing.' });
      }
    }
    people.push({
      kind: 'practitioners',
      key: draft.key,
      lines,
      row: first,
      existingId: practitioner.id,
      add,
      remove,
      differingColumns: [],
      action: add.length || remove.length ? 'change' : 'unchanged',
    });
  }
  return { people, issues, errorLines, searches: existing.searches };
}
