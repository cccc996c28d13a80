/** What a patient roster changes for each patient, against the server's current state. */
import type { WithId } from '@medplum/core';
import type { Consent, Patient, Reference } from '@medplum/fhirtypes';
import { clinicsOfPatient, hasConsent } from '../../engines/patients';
import type { EngineContext } from '../../engines/engine-context';
import type { RosterIssue } from '../roster/roster-issue';
import type { PatientRosterRow } from '../roster/roster-rows';
import { LOOKUP_CONCURRENCY, PATIENT_LOOKUP_CHUNK, chunks, findPatientsByMrn, mrnKey } from './find-existing';
import { runPool } from '../apply/run-pool';
import type { QuotaPacer } from '../apply/quota-pacer';
import { POINTS } from './quota-estimate';
import type { ImportOptions, PlannedPerson } from './import-plan';
import type { PersonDraft } from './person-drafts';

/** The demographics a file may differ on from an existing patient, by column. */
function differingColumns(row: PatientRosterRow, patient: Patient): string[] {
  const name = patient.name?.[0];
  const differs: string[] = [];
  const same = (a: string | undefined, b: string | undefined) => (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase();
  if (!same(row.givenName, name?.given?.join(' '))) differs.push('given_name');
  if (!same(row.familyName, name?.family)) differs.push('family_name');
  if (row.birthDate !== patient.birthDate) differs.push('birth_date');
  if (row.gender && row.gender !== patient.gender) differs.push('gender');
  return differs;
}

export interface PlannedPatients {
  readonly people: PlannedPerson[];
  readonly issues: RosterIssue[];
  readonly errorLines: Set<number>;
  readonly searches: number;
}

export interface PlanPatientsOptions {
  /** Each look-up's people as soon as it answers (the import starts creating before the last one). */
  readonly onPlanned?: (people: readonly PlannedPerson[]) => void;
  /** Look-ups then reserve their points beside the creates running at the same time. */
  readonly pacer?: QuotaPacer;
  /** Stops starting look-ups: the people not looked up yet are left out of the plan. */
  readonly signal?: AbortSignal;
}

const rowsOf = (draft: PersonDraft) => draft.rows as PatientRosterRow[];

/**
 * The patients looked up PATIENT_LOOKUP_CHUNK at a time, a few searches at once, each chunk planned as
 * its answer comes; the plan keeps the file's order whatever order the answers come in.
 */
export async function planPatients(
  ctx: EngineContext,
  drafts: readonly PersonDraft[],
  options: ImportOptions,
  consent: Reference<Consent> | undefined,
  planning: PlanPatientsOptions = {},
): Promise<PlannedPatients> {
  const parts: PlannedPatients[] = [];
  const work = chunks(drafts, PATIENT_LOOKUP_CHUNK).map((chunk, index) => ({ chunk, index }));
  // A few searches at once: with a server far away, a 10,000-row plan is 100 round trips.
  await runPool(
    work,
    LOOKUP_CONCURRENCY,
    async ({ chunk, index }) => {
      const mrns = chunk.map((draft) => ({ system: rowsOf(draft)[0]?.mrnSystem ?? ctx.mrnSystem, value: rowsOf(draft)[0]?.mrn ?? '' }));
      let found: Map<string, WithId<Patient>[]>;
      try {
        if (planning.pacer) await planning.pacer.reserve(POINTS.search, planning.signal);
        try {
          found = await findPatientsByMrn(ctx, mrns, planning.signal);
        } finally {
          planning.pacer?.done(POINTS.search);
        }
      } catch (error) {
        // Stopped (a cancel, or the creates failed): these people are left out, not an error of the plan.
        if (planning.signal?.aborted) return;
        throw error;
      }
      const part = planChunk(chunk, found, options, consent);
      parts[index] = part;
      planning.onPlanned?.(part.people);
    },
    planning.signal,
  );
  const done = parts.filter((part): part is PlannedPatients => part !== undefined);
  return {
    people: done.flatMap((part) => part.people),
    issues: done.flatMap((part) => part.issues),
    errorLines: new Set(done.flatMap((part) => [...part.errorLines])),
    searches: done.length,
  };
}

function planChunk(
  drafts: readonly PersonDraft[],
  found: ReadonlyMap<string, readonly WithId<Patient>[]>,
  options: ImportOptions,
  consent: Reference<Consent> | undefined,
): PlannedPatients {
  const people: PlannedPerson[] = [];
  const issues: RosterIssue[] = [];
  const errorLines = new Set<number>();
  for (const draft of drafts) {
    const rows = rowsOf(draft);
    const first = rows[0] as PatientRosterRow;
    const lines = rows.map((row) => row.line);
    const matches = found.get(mrnKey(first.mrnSystem, first.mrn)) ?? [];
    const wantsConsent = rows.find((row) => row.consent !== undefined)?.consent;
    if (wantsConsent !== undefined && !consent) {
      for (const row of rows.filter((candidate) => candidate.consent !== undefined)) {
        issues.push({ severity: 'error', line: row.line, column: 'consent', message: 'asks for consent, but the MSO’s universal consent is not set up: set it up on the Access policy page first.' });
        errorLines.add(row.line);
      }
      continue;
    }
    if (matches.length > 1) {
      for (const line of lines) {
        issues.push({ severity: 'error', line, column: 'mrn', message: `names an MRN that ${matches.length} patients of the project have: merge them before importing.` });
        errorLines.add(line);
      }
      continue;
    }
    const existing = matches[0];
    if (!existing) {
      if (draft.enroll.size === 0) {
        for (const line of lines) issues.push({ severity: 'warning', line, message: 'unenrolls a patient who does not exist in the project: nothing to do.' });
        people.push({ kind: 'patients', key: draft.key, lines, row: first, add: [], remove: [], differingColumns: [], action: 'unchanged' });
        continue;
      }
      for (const row of rows.filter((candidate) => candidate.action === 'unenroll')) {
        issues.push({ severity: 'warning', line: row.line, message: 'unenrolls a patient this import creates: they will not be in that clinic anyway.' });
      }
      people.push({
        kind: 'patients',
        key: draft.key,
        lines,
        row: first,
        add: [...draft.enroll],
        remove: [],
        ...(wantsConsent ? { consent: 'grant' as const } : {}),
        differingColumns: [],
        action: 'create',
      });
      continue;
    }
    const current = new Set(clinicsOfPatient(existing).map((reference) => reference.slice('Organization/'.length)));
    const add = [...draft.enroll].filter((id) => !current.has(id));
    const remove = [...draft.unenroll].filter((id) => current.has(id));
    for (const row of rows.filter((candidate) => candidate.action === 'unenroll')) {
      if ((draft.rowClinics.get(row.line) ?? []).some((id) => !current.has(id))) {
        issues.push({ severity: 'warning', line: row.line, message: 'unenrolls the patient from a clinic they are not in: that part changes nothing.' });
      }
    }
    const consentChange =
      wantsConsent === true && consent && !hasConsent(existing, consent) ? 'grant' : wantsConsent === false && consent && hasConsent(existing, consent) ? 'revoke' : undefined;
    const differs = differingColumns(first, existing);
    if (differs.length && !options.updateDemographics) {
      issues.push({
        severity: 'warning',
        line: first.line,
        message: `differs from the patient on the server in ${differs.join(', ')}; left as the server has it (choose “update demographics” to change it).`,
      });
    }
    const changes = add.length > 0 || remove.length > 0 || consentChange !== undefined || (differs.length > 0 && options.updateDemographics);
    people.push({
      kind: 'patients',
      key: draft.key,
      lines,
      row: first,
      existingId: existing.id,
      add,
      remove,
      ...(consentChange ? { consent: consentChange } : {}),
      differingColumns: differs,
      action: changes ? 'change' : 'unchanged',
    });
  }
  return { people, issues, errorLines, searches: 1 };
}
