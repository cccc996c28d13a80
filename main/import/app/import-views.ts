/**
 * What the wizard shows of a validation and a dry run: counts, the mapping of every header
 * column, issues and row statuses by line (capped, with totals), and per clinic how many people
 * it gains and loses, for the confirm sentence. Only line numbers, column names and clinic names:
 * never a value of a row.
 */
import { type RosterKind, columnKeyOf, detectRosterKind } from '../../../preload/api/roster/columns';
import { clinicNameKey } from '../../../preload/api/roster/rules';
import {
  ISSUES_SHOWN,
  ROWS_SHOWN,
  type ImportIssueView,
  type ImportPlanView,
  type ImportValidationView,
} from '../../../preload/api/schemas/import';
import { decodeUtf8 } from '../csv/decode-utf8';
import { readCsvRecords } from '../csv/read-records';
import type { ImportPlan } from '../plan/import-plan';
import type { ColumnOverrides } from '../roster/roster-header';
import type { RosterIssue } from '../roster/roster-issue';
import type { RosterValidation } from '../roster/validate-roster';

const DELIMITER_NAMES = { ',': 'comma', ';': 'semicolon', '\t': 'tab' } as const;

/** The header line's fields, or none when the file cannot be read that far. */
export async function readHeaderFields(bytes: Uint8Array): Promise<string[]> {
  try {
    for await (const record of readCsvRecords(decodeUtf8((async function* () {
      yield bytes;
    })()))) {
      return record.fields.map((field) => field.trim());
    }
  } catch {
    // The validation says what is wrong with the file.
  }
  return [];
}

function issueView(issue: RosterIssue): ImportIssueView {
  return {
    severity: issue.severity,
    line: issue.line,
    ...(issue.column ? { column: issue.column } : {}),
    ...(issue.columnNumber ? { columnNumber: issue.columnNumber } : {}),
    message: issue.message,
    ...(issue.earlierLine ? { earlierLine: issue.earlierLine } : {}),
  };
}

export function validationView(
  validation: RosterValidation,
  header: readonly string[],
  overrides: ColumnOverrides,
  issues: readonly RosterIssue[] = validation.issues,
  requestedKind?: RosterKind,
): ImportValidationView {
  const detectedKind = detectRosterKind(header.map((name) => (Object.hasOwn(overrides, name) ? overrides[name] || name : name))) ?? null;
  // A header that lacks a required column stops validation before the kind is kept: the kind is
  // then the user's, or what the header says, so the wizard can offer the missing mapping.
  const kind: RosterKind | null = validation.kind ?? requestedKind ?? detectedKind;
  return {
    kind,
    detectedKind,
    delimiter: validation.delimiter ? DELIMITER_NAMES[validation.delimiter] : null,
    rows: validation.rows,
    validRows: validation.validRows,
    errorRows: validation.errorRows,
    fileError: validation.fileError ? { ...validation.fileError } : null,
    columns: header.map((name, index) => {
      const overridden = Object.hasOwn(overrides, name);
      const chosen = overridden ? overrides[name] : undefined;
      const key = kind ? (chosen === '' ? undefined : columnKeyOf(kind, chosen ?? name)) : undefined;
      return { header: name, position: index + 1, key: key ?? null, overridden };
    }),
    issues: issues.slice(0, ISSUES_SHOWN).map(issueView),
    issuesTotal: issues.length,
  };
}

export function planView(
  plan: ImportPlan,
  header: readonly string[],
  overrides: ColumnOverrides,
  clinicNames: ReadonlyMap<string, string>,
  requestedKind?: RosterKind,
): ImportPlanView {
  const planned = new Map(plan.clinicsToCreate.map((name) => [`new:${clinicNameKey(name)}`, name]));
  const nameOf = (id: string) => planned.get(id) ?? clinicNames.get(id) ?? `Organization/${id}`;
  const byClinic = new Map<string, { name: string; created: number; added: number; removed: number }>();
  const clinic = (id: string) => {
    let entry = byClinic.get(id);
    if (!entry) byClinic.set(id, (entry = { name: nameOf(id), created: 0, added: 0, removed: 0 }));
    return entry;
  };
  const people = { create: 0, change: 0, unchanged: 0 };
  for (const person of plan.people) {
    people[person.action]++;
    if (person.action === 'unchanged') continue;
    for (const id of person.add) clinic(id)[person.action === 'create' ? 'created' : 'added']++;
    for (const id of person.remove) clinic(id).removed++;
  }
  const rows = [...plan.statusByLine].sort(([a], [b]) => a - b);
  return {
    validation: validationView(plan.validation, header, overrides, plan.issues, requestedKind),
    blocked: plan.blocked,
    totals: { ...plan.totals },
    people,
    clinicsToCreate: [...plan.clinicsToCreate],
    byClinic: [...byClinic.values()].sort((a, b) => b.created + b.added + b.removed - (a.created + a.added + a.removed) || a.name.localeCompare(b.name)),
    estimate: { ...plan.estimate },
    issues: plan.issues.slice(0, ISSUES_SHOWN).map(issueView),
    issuesTotal: plan.issues.length,
    rows: rows.slice(0, ROWS_SHOWN).map(([line, status]) => ({ line, status })),
    rowsTotal: rows.length,
  };
}
