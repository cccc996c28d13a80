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
import { type ApplyProgress, type ApplyResult, applyPlan } from './apply/apply-plan';
import { ImportJournal, fileDigest } from './apply/import-journal';
import type { ImportOptions, ImportPlan } from './plan/import-plan';
import { planRoster } from './plan/plan-roster';
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
  /** Set when something was applied: the id every row's activity entry (and the import's own) carries. */
  readonly importId?: string;
}

export async function runImport(ctx: EngineContext, request: RunImportRequest): Promise<RunImportResult> {
  const bytes = await readFile(request.filePath);
  const file = () => (async function* () {
    yield bytes;
  })();
  request.onPhase?.('planning');
  const plan = await planRoster(ctx, {
    file,
    ...(request.kind ? { kind: request.kind } : {}),
    ...(request.columnOverrides ? { columnOverrides: request.columnOverrides } : {}),
    options: request.options,
    today: request.today,
    ...(request.consent ? { consent: request.consent } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
  });
  if (request.dryRun || plan.blocked || !plan.kind) return { plan, resumed: false };

  const journal = await ImportJournal.open(request.journalPath);
  const digest = fileDigest(bytes);
  const started = journal.started();
  if (started && started.file !== digest) {
    throw new AppError('conflict', 'This import’s journal belongs to another file (or the file changed since). Resume with the same file, or start a new import.');
  }
  const startedAt = started?.at ?? new Date().toISOString();
  if (!started) await journal.append({ t: 'start', file: digest, kind: plan.kind, at: startedAt });
  request.onPhase?.('applying');
  // Every row's activity entry names this import (the same id on resume), so it can be undone as
  // one job; the import itself is one more entry, with its counts (the app's and the command line's alike).
  const importId = request.importId ?? importIdOf(request.journalPath, startedAt);
  const tagged: EngineContext = { ...ctx, activityTags: { ...ctx.activityTags, importId } };
  const resumed = started !== undefined;
  const applied = await withActivity(
    tagged,
    IMPORT_ACTION,
    [],
    () =>
      applyPlan(tagged, plan, {
        journal,
        sendInvites: request.options.sendInvites,
        updateDemographics: request.options.updateDemographics,
        ...(request.consent ? { consent: request.consent } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
        ...(request.onProgress ? { onProgress: request.onProgress } : {}),
      }),
    (result) => ({
      importId,
      kind: plan.kind ?? 'patients',
      rows: plan.totals.rows,
      created: result.created,
      changed: result.changed,
      failed: result.failed.length,
      skipped: plan.totals.error,
      clinicsCreated: result.clinicsCreated,
      cancelled: result.cancelled,
      resumed,
    }),
  );
  await journal.append({ t: 'end', at: new Date().toISOString(), cancelled: applied.cancelled });
  return { plan, applied, resumed, importId };
}


/** A UUID-shaped id for one import: the same for its journal every time it resumes. */
export function importIdOf(journalPath: string, startedAt: string): string {
  const hex = createHash('sha256').update(`${journalPath}\n${startedAt}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
