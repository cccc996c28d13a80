/**
 * The dry run: validate the file offline, then compare every person with the server's current
 * state through a few read-only searches, and say what the import will create, enroll, unenroll
 * or leave, row by row, with the time the quota implies. Nothing is written.
 */
import type { Consent, Reference } from '@medplum/fhirtypes';
import type { RosterKind } from '../../../preload/api/roster/columns';
import type { EngineContext } from '../../engines/engine-context';
import type { ColumnOverrides } from '../roster/roster-header';
import type { RosterIssue } from '../roster/roster-issue';
import type { RosterRow } from '../roster/roster-rows';
import { validateRoster } from '../roster/validate-roster';
import { ClinicDirectory } from './clinic-directory';
import type { ImportOptions, ImportPlan, PlannedPerson, PlanTotals, RowStatus } from './import-plan';
import { draftPeople } from './person-drafts';
import { planPatients } from './plan-patients';
import { planPractitioners } from './plan-practitioners';
import { COST, estimateOf, projectQuota } from './quota-estimate';

export interface PlanRequest {
  readonly file: () => AsyncIterable<Uint8Array>;
  readonly kind?: RosterKind;
  /** The user's corrections of the column mapping (the app's wizard). */
  readonly columnOverrides?: ColumnOverrides;
  readonly options: ImportOptions;
  /** The universal Consent of consent gating, if the project has one. */
  readonly consent?: Reference<Consent>;
  /** Today as YYYY-MM-DD. */
  readonly today: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (rowsRead: number) => void;
}

function statusOf(person: PlannedPerson, line: number, row: RosterRow | undefined, rowClinics: readonly string[]): RowStatus {
  if (person.action === 'create') return 'create';
  if (!row) return 'unchanged';
  const changes = row.action === 'enroll' ? person.add : person.remove;
  if (rowClinics.some((id) => changes.includes(id))) return row.action;
  if (line === person.lines[0] && (person.consent || (person.action === 'change' && person.add.length + person.remove.length === 0))) return 'enroll';
  return 'unchanged';
}

export async function planRoster(ctx: EngineContext, request: PlanRequest): Promise<ImportPlan> {
  let lookups = 0;
  const counted: EngineContext = { ...ctx };
  const rows: RosterRow[] = [];
  const validation = await validateRoster(request.file(), {
    ...(request.kind ? { kind: request.kind } : {}),
    ...(request.columnOverrides ? { columnOverrides: request.columnOverrides } : {}),
    defaultMrnSystem: ctx.mrnSystem,
    today: request.today,
    onRow: (row) => void rows.push(row),
    ...(request.onProgress ? { onProgress: request.onProgress } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
  });
  const issues: RosterIssue[] = [...validation.issues];
  const statusByLine = new Map<number, RowStatus>();
  for (const issue of validation.issues) if (issue.severity === 'error') statusByLine.set(issue.line, 'error');
  const quota = await projectQuota(ctx);
  lookups++;
  const empty = (blocked: boolean): ImportPlan => ({
    ...(validation.kind ? { kind: validation.kind } : {}),
    validation,
    issues,
    statusByLine,
    people: [],
    clinicsToCreate: [],
    totals: totalsOf(validation.rows, statusByLine, issues),
    estimate: estimateOf(0, quota),
    blocked,
    lookups,
  });
  if (validation.fileError || !validation.kind) return empty(true);
  if (request.options.strict && validation.errorRows > 0) return empty(true);

  const directory = await ClinicDirectory.load(counted);
  lookups++;
  request.signal?.throwIfAborted();
  const drafted = draftPeople(rows, directory, validation.columns?.clinics, request.options.createMissingClinics);
  issues.push(...drafted.issues);
  for (const line of drafted.errorLines) statusByLine.set(line, 'error');

  const drafts = [...drafted.drafts.values()];
  const planned =
    validation.kind === 'patients' ? await planPatients(counted, drafts, request.options, request.consent) : await planPractitioners(counted, drafts);
  lookups += planned.searches;
  // The planners name columns by key; messages name them as the file's header does, with their position.
  issues.push(
    ...planned.issues.map((issue) => {
      const column = issue.column ? validation.columns?.[issue.column] : undefined;
      return column ? { ...issue, column: column.name, columnNumber: column.number } : issue;
    }),
  );
  for (const line of planned.errorLines) statusByLine.set(line, 'error');

  const people = planned.people;
  for (const person of people) {
    const draft = drafted.drafts.get(person.key);
    for (const line of person.lines) {
      if (statusByLine.get(line) === 'error') continue;
      const row = draft?.rows.find((candidate) => candidate.line === line);
      statusByLine.set(line, statusOf(person, line, row, draft?.rowClinics.get(line) ?? []));
    }
  }
  issues.sort((a, b) => a.line - b.line);
  const points =
    drafted.clinicsToCreate.length * COST.createClinic +
    people.reduce((sum, person) => {
      if (person.action === 'unchanged') return sum;
      if (person.kind === 'patients') return sum + (person.action === 'create' ? COST.createPatient : COST.changePatient);
      return sum + (person.action === 'create' ? COST.createClinician : COST.changeClinician);
    }, 0);
  const blocked = request.options.strict && issues.some((issue) => issue.severity === 'error');
  return {
    kind: validation.kind,
    validation,
    issues,
    statusByLine,
    people: blocked ? [] : people,
    clinicsToCreate: blocked ? [] : drafted.clinicsToCreate,
    totals: totalsOf(validation.rows, statusByLine, issues),
    estimate: estimateOf(blocked ? 0 : points, quota),
    blocked,
    lookups,
  };
}

function totalsOf(rows: number, statusByLine: ReadonlyMap<number, RowStatus>, issues: readonly RosterIssue[]): PlanTotals {
  const count = (status: RowStatus) => [...statusByLine.values()].filter((value) => value === status).length;
  const warned = new Set(issues.filter((issue) => issue.severity === 'warning' && statusByLine.get(issue.line) !== 'error').map((issue) => issue.line));
  // The header's own warnings (unknown columns) are on no data row.
  warned.delete(1);
  return { rows, create: count('create'), enroll: count('enroll'), unenroll: count('unenroll'), unchanged: count('unchanged'), error: count('error'), warning: warned.size };
}
