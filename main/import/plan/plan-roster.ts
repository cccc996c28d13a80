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
import { type RosterValidation, validateRoster } from '../roster/validate-roster';
import { ClinicDirectory } from './clinic-directory';
import type { ImportOptions, ImportPlan, PlannedPerson, PlanTotals, QuotaEstimate, RowStatus } from './import-plan';
import { type DraftResult, draftPeople } from './person-drafts';
import { type PlanPatientsOptions, planPatients } from './plan-patients';
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

/** The file read, checked and matched with the project's clinics: all but the people's look-ups. */
export interface PreparedRoster {
  readonly validation: RosterValidation;
  readonly issues: RosterIssue[];
  readonly statusByLine: Map<number, RowStatus>;
  readonly quota: Pick<QuotaEstimate, 'pointsPerMinute' | 'quotaSource'>;
  /** Set when nothing will be written (a file error, or strict mode met an error): the plan as it stands. */
  readonly blockedPlan?: ImportPlan;
  readonly drafted?: DraftResult;
  readonly lookups: number;
}

export async function prepareRoster(ctx: EngineContext, request: PlanRequest): Promise<PreparedRoster> {
  let lookups = 0;
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
  const blocked = (): PreparedRoster => ({
    validation,
    issues,
    statusByLine,
    quota,
    lookups,
    blockedPlan: {
      ...(validation.kind ? { kind: validation.kind } : {}),
      validation,
      issues,
      statusByLine,
      people: [],
      clinicsToCreate: [],
      totals: totalsOf(validation.rows, statusByLine, issues),
      estimate: estimateOf(0, quota),
      blocked: true,
      lookups,
    },
  });
  if (validation.fileError || !validation.kind) return blocked();
  if (request.options.strict && validation.errorRows > 0) return blocked();

  const directory = await ClinicDirectory.load(ctx);
  lookups++;
  request.signal?.throwIfAborted();
  const drafted = draftPeople(rows, directory, validation.columns?.clinics, request.options.createMissingClinics);
  issues.push(...drafted.issues);
  for (const line of drafted.errorLines) statusByLine.set(line, 'error');
  return { validation, issues, statusByLine, quota, drafted, lookups };
}

/**
 * The people of a prepared roster looked up and planned. `planning.onPlanned` hands out the
 * patients of each look-up as it answers (the import creates them while the rest are looked up);
 * with `planning.signal` aborted, the people not looked up yet are left out.
 */
export async function planPeople(ctx: EngineContext, prepared: PreparedRoster, request: PlanRequest, planning: PlanPatientsOptions = {}): Promise<ImportPlan> {
  if (prepared.blockedPlan) return prepared.blockedPlan;
  const { validation, drafted, statusByLine } = prepared;
  // prepareRoster gives a kind and drafts whenever it gives no blocked plan.
  if (!drafted || !validation.kind) throw new Error('planPeople needs a prepared roster');
  const issues = [...prepared.issues];
  const drafts = [...drafted.drafts.values()];
  const planned =
    validation.kind === 'patients' ? await planPatients(ctx, drafts, request.options, request.consent, planning) : await planPractitioners(ctx, drafts);
  const lookups = prepared.lookups + planned.searches;
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
    estimate: estimateOf(blocked ? 0 : points, prepared.quota),
    blocked,
    lookups,
  };
}

/** The whole dry run: nothing is written. */
export async function planRoster(ctx: EngineContext, request: PlanRequest): Promise<ImportPlan> {
  const prepared = await prepareRoster(ctx, request);
  const plan = await planPeople(ctx, prepared, request, request.signal ? { signal: request.signal } : {});
  // A cancelled dry run has no plan to show (the look-ups it skipped would read as nothing to do).
  request.signal?.throwIfAborted();
  return plan;
}

function totalsOf(rows: number, statusByLine: ReadonlyMap<number, RowStatus>, issues: readonly RosterIssue[]): PlanTotals {
  const count = (status: RowStatus) => [...statusByLine.values()].filter((value) => value === status).length;
  const warned = new Set(issues.filter((issue) => issue.severity === 'warning' && statusByLine.get(issue.line) !== 'error').map((issue) => issue.line));
  // The header's own warnings (unknown columns) are on no data row.
  warned.delete(1);
  return { rows, create: count('create'), enroll: count('enroll'), unenroll: count('unenroll'), unchanged: count('unchanged'), error: count('error'), warning: warned.size };
}
