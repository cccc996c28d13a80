/**
 * One import, from file to server, callable without a window (the app's job and `mso-admin
 * import` both run it): plan against the server as it is now, then apply, with a journal on disk.
 * Resuming is running it again with the same journal: the plan is made again from the server's
 * state (so what landed is not redone), and people whose batch never got an answer are created
 * conditionally (so nobody is created twice).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Consent, Reference } from '@medplum/fhirtypes';
import type { RosterKind } from '../../preload/api/roster/columns';
import type { EngineContext } from '../engines/engine-context';
import { IMPORT_ACTION } from '../engines/activity-log';
import { withActivity } from '../engines/record-activity';
import { AppError } from '../errors/app-error';
import { type ApplyProgress, type ApplyResult, type StreamedPlan, applyStreamedPlan, newPatientsOf } from './apply/apply-plan';
import { PeopleQueue } from './apply/people-queue';
import { QuotaPacer } from './apply/quota-pacer';
import { ImportJournal, fileDigest } from './apply/import-journal';
import type { ImportOptions, ImportPlan, PlannedPerson } from './plan/import-plan';
import { type PlanRequest, type PreparedRoster, planPeople, planRoster, prepareRoster } from './plan/plan-roster';
import type { ColumnOverrides } from './roster/roster-header';

export interface RunImportRequest {
  readonly filePath: string;
  readonly kind?: RosterKind;
  /** The user's corrections of the column mapping (the app's wizard). */
  readonly columnOverrides?: ColumnOverrides;
  readonly options: ImportOptions;
  readonly journalPath: string;
  readonly today: string;
  readonly consent?: Reference<Consent>;
  readonly signal?: AbortSignal;
  readonly onPhase?: (phase: 'planning' | 'applying') => void;
  readonly onProgress?: (progress: ApplyProgress) => void;
  /** Plan only: nothing is written, no journal is kept. */
  readonly dryRun?: boolean;
  /** The import's id when the caller keeps one (the app's wizard); else derived from the journal. */
  readonly importId?: string;
}

export interface RunImportResult {
  readonly plan: ImportPlan;
  readonly applied?: ApplyResult;
  readonly resumed: boolean;
}

export async function runImport(ctx: EngineContext, request: RunImportRequest): Promise<RunImportResult> {
  const bytes = await readFile(request.filePath);
  const planRequest: PlanRequest = {
    file: () =>
      (async function* () {
        yield bytes;
      })(),
    ...(request.kind ? { kind: request.kind } : {}),
    ...(request.columnOverrides ? { columnOverrides: request.columnOverrides } : {}),
    options: request.options,
    today: request.today,
    ...(request.consent ? { consent: request.consent } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
  };
  request.onPhase?.('planning');
  if (request.dryRun) return { plan: await planRoster(ctx, planRequest), resumed: false };
  const prepared = await prepareRoster(ctx, planRequest);
  // Strict mode must see every look-up's errors before the first write; practitioners' rosters
  // are small and their invitations go one at a time: both are planned whole first.
  const streams = !request.options.strict && prepared.validation.kind === 'patients';
  const wholePlan = prepared.blockedPlan ?? (streams ? undefined : await planPeople(ctx, prepared, planRequest, request.signal ? { signal: request.signal } : {}));
  if (wholePlan) request.signal?.throwIfAborted();
  if (wholePlan?.blocked || !prepared.validation.kind) return { plan: wholePlan as ImportPlan, resumed: false };
  const kind = prepared.validation.kind;

  const journal = await ImportJournal.open(request.journalPath);
  try {
    const digest = fileDigest(bytes);
    const started = journal.started();
    if (started && started.file !== digest) {
      throw new AppError('conflict', 'This import’s journal belongs to another file (or the file changed since). Resume with the same file, or start a new import.');
    }
    const startedAt = started?.at ?? new Date().toISOString();
    if (!started) await journal.append({ t: 'start', file: digest, kind, at: startedAt });
    request.onPhase?.('applying');
    // Every row's activity entry names this import (the same id on resume), so it can be undone as
    // one job; the import itself is one more entry, with its counts (the app's and the command line's alike).
    const importId = request.importId ?? importIdOf(request.journalPath, startedAt);
    const tagged: EngineContext = { ...ctx, activityTags: { ...ctx.activityTags, importId } };
    const resumed = started !== undefined;
    const pacer = new QuotaPacer(tagged.client);
    const streamed = wholePlan ? streamedOf(wholePlan) : lookUpWhileCreating(tagged, prepared, planRequest, pacer, request.signal);
    let plan: ImportPlan | undefined = wholePlan;
    // Kept as soon as it is whole: the import's entry counts the rows it skipped from it.
    void streamed.plan.then(
      (whole) => (plan = whole),
      () => undefined,
    );
    const applied = await withActivity(
      tagged,
      IMPORT_ACTION,
      [],
      () =>
        applyStreamedPlan(tagged, streamed, {
          journal,
          pacer,
          sendInvites: request.options.sendInvites,
          updateDemographics: request.options.updateDemographics,
          ...(request.consent ? { consent: request.consent } : {}),
          ...(request.signal ? { signal: request.signal } : {}),
          ...(request.onProgress ? { onProgress: request.onProgress } : {}),
        }),
      (result) => ({
        importId,
        kind,
        rows: prepared.validation.rows,
        created: result.created,
        changed: result.changed,
        failed: result.failed.length,
        skipped: plan?.totals.error ?? prepared.validation.errorRows,
        clinicsCreated: result.clinicsCreated,
        cancelled: result.cancelled,
        resumed,
      }),
    );
    plan ??= await streamed.plan;
    await journal.append({ t: 'end', at: new Date().toISOString(), cancelled: applied.cancelled });
    return { plan, applied, resumed };
  } finally {
    await journal.close();
  }
}

function streamedOf(plan: ImportPlan): StreamedPlan {
  const work = plan.people.filter((person) => person.action !== 'unchanged');
  return { clinicsToCreate: plan.clinicsToCreate, newPatients: PeopleQueue.of(newPatientsOf(work)), plan: Promise.resolve(plan), people: work.length };
}

/**
 * The look-ups and the creates at once: each look-up's new patients go to the creates as it
 * answers, so the first batches are on their way while the rest of the file is looked up, and
 * the look-ups' round trips are no longer a phase of their own. On cancel no new look-up starts.
 */
function lookUpWhileCreating(ctx: EngineContext, prepared: PreparedRoster, request: PlanRequest, pacer: QuotaPacer, signal: AbortSignal | undefined): StreamedPlan {
  const newPatients = new PeopleQueue<PlannedPerson>();
  const lookups = new AbortController();
  const stop = () => lookups.abort();
  signal?.addEventListener('abort', stop, { once: true });
  const plan = planPeople(ctx, prepared, request, { pacer, signal: lookups.signal, onPlanned: (people) => newPatients.push(newPatientsOf(people)) }).then(
    (whole) => {
      newPatients.end();
      return whole;
    },
    (error: unknown) => {
      newPatients.fail(error);
      throw error;
    },
  );
  plan.catch(() => undefined).finally(() => signal?.removeEventListener('abort', stop));
  return { clinicsToCreate: prepared.drafted?.clinicsToCreate ?? [], newPatients, plan, people: prepared.drafted?.drafts.size ?? 0, stop };
}

/** A UUID-shaped id for one import: the same for its journal every time it resumes. */
export function importIdOf(journalPath: string, startedAt: string): string {
  const hex = createHash('sha256').update(`${journalPath}\n${startedAt}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
