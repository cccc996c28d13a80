/**
 * Runs the wizard's imports as jobs of the job registry, in main: a closed or reloaded window
 * does not stop one (the renderer finds it again through `listJobs` and `listImports`). Each
 * run of an import (a resume is a run) is one Activity entry with its counts; the rows that changed
 * an existing person keep their engines' entries, tagged with the import's id, so the import can
 * be undone as one job (counts and references only, never a row value).
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { ImportOptionsInput, ImportResultView, ImportRunView } from '../../../preload/api/schemas/import';
import type { RosterKind } from '../../../preload/api/roster/columns';
import type { EngineContext } from '../../engines/engine-context';
import { AppError } from '../../errors/app-error';
import type { JobRegistry } from '../../jobs/job-registry';
import { type ReportedRow, writeErrorReport } from '../error-report';
import { COST, projectQuota } from '../plan/quota-estimate';
import type { ColumnOverrides } from '../roster/roster-header';
import { describeIssue } from '../roster/roster-issue';
import { type RunImportResult, runImport } from '../run-import';
import type { ImportFile } from './import-files';
import { type ImportRecord, type ImportRecords, journalDigest } from './import-records';

export const IMPORT_JOB_KIND = 'import-roster';

interface Run {
  record: ImportRecord;
  jobId: string;
  state: 'running' | 'finished' | 'failed';
  result?: ImportResultView;
  report: ReportedRow[];
  failure?: string;
}

export interface StartImport {
  readonly file: ImportFile;
  readonly bytes: Uint8Array;
  readonly kind: RosterKind;
  readonly columnOverrides: ColumnOverrides;
  readonly options: ImportOptionsInput;
  readonly connectionId: string;
}

const count = new Intl.NumberFormat('en-US');

function plural(n: number, one: string, many: string): string {
  return `${count.format(n)} ${n === 1 ? one : many}`;
}

/** The job's closing sentence. */
export function describeImport(kind: RosterKind, result: ImportResultView): string {
  const [one, many] = kind === 'patients' ? ['patient', 'patients'] : ['clinician', 'clinicians'];
  const parts = [`${plural(result.created, one, many)} created, ${count.format(result.changed)} changed`];
  if (result.clinicsCreated) parts.push(plural(result.clinicsCreated, 'clinic created', 'clinics created'));
  if (result.failed) parts.push(`${plural(result.failed, `${one} the server refused`, `${many} the server refused`)} (save the error report)`);
  if (result.skipped) parts.push(`${plural(result.skipped, 'row', 'rows')} with errors skipped`);
  const sentence = `${parts.join('; ')}.`;
  return result.cancelled ? `Stopped on request: ${sentence} Resume it from the Import page to finish.` : sentence;
}

function resultView(outcome: RunImportResult, report: readonly ReportedRow[]): ImportResultView {
  const applied = outcome.applied;
  return {
    created: applied?.created ?? 0,
    changed: applied?.changed ?? 0,
    skipped: outcome.plan.totals.error,
    failed: applied?.failed.length ?? 0,
    failedRows: (applied?.failed ?? []).slice(0, 500).map((failure) => ({ lines: [...failure.lines], message: failure.reason })),
    clinicsCreated: applied?.clinicsCreated ?? 0,
    cancelled: applied?.cancelled ?? false,
    resumed: outcome.resumed,
    reportRows: new Set(report.map((row) => row.line)).size,
  };
}

function reportOf(outcome: RunImportResult): ReportedRow[] {
  return [
    ...outcome.plan.issues.filter((issue) => issue.severity === 'error').map((issue) => ({ line: issue.line, status: 'error' as const, message: describeIssue(issue) })),
    ...(outcome.applied?.failed ?? []).flatMap((failure) => failure.lines.map((line) => ({ line, status: 'failed' as const, message: failure.reason }))),
  ];
}

export class ImportRunner {
  private readonly runs = new Map<string, Run>();

  constructor(
    private readonly jobs: JobRegistry,
    readonly records: ImportRecords,
    private readonly today: () => string = () => new Date().toISOString().slice(0, 10),
  ) {}

  async start(ctx: EngineContext, start: StartImport, consent: string | undefined): Promise<{ importId: string; jobId: string }> {
    const digest = journalDigest(start.bytes);
    // Two runs of one file would share its journal: the second waits for the first.
    if ([...this.runs.values()].some((run) => run.state === 'running' && run.record.digest === digest)) {
      throw new AppError('conflict', 'This file is being imported already: follow it on the Import page, or cancel it first.');
    }
    const record: ImportRecord = {
      importId: randomUUID(),
      digest,
      fileName: start.file.name,
      size: start.file.size,
      kind: start.kind,
      columnOverrides: { ...start.columnOverrides },
      options: { ...start.options },
      connectionId: start.connectionId,
      startedAt: new Date().toISOString(),
    };
    await this.records.create(record, start.file.path);
    return { importId: record.importId, jobId: this.run(ctx, record, consent) };
  }

  async resume(ctx: EngineContext, importId: string, connectionId: string, consent: string | undefined): Promise<{ importId: string; jobId: string }> {
    const running = this.runs.get(importId);
    if (running?.state === 'running') return { importId, jobId: running.jobId };
    const record = await this.records.read(importId);
    if (!record) throw new AppError('not_found', 'That import is no longer kept on this computer. Start it again from the file.');
    if ([...this.runs.values()].some((run) => run.state === 'running' && run.record.digest === record.digest)) {
      throw new AppError('conflict', 'This file is being imported already: follow it on the Import page, or cancel it first.');
    }
    if (record.connectionId !== connectionId) {
      throw new AppError('conflict', 'That import was started on another connection. Sign in to that connection to resume it.');
    }
    return { importId, jobId: this.run(ctx, record, consent) };
  }

  private run(ctx: EngineContext, record: ImportRecord, consent: string | undefined): string {
    const run: Run = { record, jobId: '', state: 'running', report: [] };
    const { jobId, result } = this.jobs.start(
      IMPORT_JOB_KIND,
      async (job) => {
        job.report({ done: 0, total: null, message: 'Checking the file against the server…' });
        // Time left is at least what the quota still allows (a new person costs at least this much).
        const quota = await projectQuota(ctx);
        const perPerson = record.kind === 'patients' ? COST.createPatient : COST.createClinician;
        // runImport records the import's one entry (its rows' entries carry its id, for undo).
        const outcome = await runImport(ctx, {
          importId: record.importId,
          filePath: this.records.filePath(record.importId),
          kind: record.kind,
          columnOverrides: record.columnOverrides,
          options: record.options,
          journalPath: this.records.journalPath(record),
          today: this.today(),
          ...(consent ? { consent: { reference: consent } } : {}),
          signal: job.signal,
          onProgress: (progress) => {
            const facts = [
              progress.failed ? `${count.format(progress.failed)} refused so far` : null,
              progress.pointsLeft !== undefined ? `${count.format(progress.pointsLeft)} quota points left this minute` : null,
            ].filter(Boolean);
            const pointsToSpend = (progress.total - progress.done) * perPerson - (progress.pointsLeft ?? 0);
            job.report({
              done: progress.done,
              total: progress.total,
              message: `Importing ${record.kind === 'patients' ? 'patients' : 'clinicians'}${facts.length ? ` · ${facts.join(' · ')}` : ''}`,
              minSecondsLeft: Math.max(0, (pointsToSpend / quota.pointsPerMinute) * 60),
            });
          },
        });
        run.report = reportOf(outcome);
        run.result = resultView(outcome, run.report);
        return run.result;
      },
      {
        describe: (view) => describeImport(record.kind, view),
        ...(ctx.sessionEnded ? { cancelWhen: ctx.sessionEnded } : {}),
      },
    );
    run.jobId = jobId;
    this.runs.set(record.importId, run);
    result.then(
      () => {
        run.state = 'finished';
      },
      (error: unknown) => {
        run.state = 'failed';
        run.failure = error instanceof AppError ? error.message : 'The import stopped with an error. Resume it to finish; what was done stays done.';
      },
    );
    return jobId;
  }

  /** Imports of this run of the app and those left interrupted on disk, newest first. */
  async list(connectionNames: ReadonlyMap<string, string>): Promise<ImportRunView[]> {
    const views: ImportRunView[] = [];
    for (const record of await this.records.list()) {
      const run = this.runs.get(record.importId);
      const journal = run?.state === 'running' ? { interrupted: false, peopleDone: 0 } : await this.records.journalState(record);
      const state = run?.state === 'running' ? 'running' : journal.interrupted ? 'interrupted' : run ? run.state : undefined;
      // A finished import from an earlier run of the app has nothing left to offer.
      if (!state) continue;
      views.push({
        importId: record.importId,
        fileName: record.fileName,
        kind: record.kind,
        connectionId: record.connectionId,
        connectionName: connectionNames.get(record.connectionId) ?? null,
        startedAt: record.startedAt,
        state,
        jobId: run?.jobId ?? null,
        peopleDone: journal.peopleDone,
        result: run?.result ?? null,
        failure: run?.failure ?? null,
      });
    }
    return views;
  }

  async saveErrorReport(importId: string, target: string): Promise<number> {
    const run = this.runs.get(importId);
    if (!run?.result) throw new AppError('not_found', 'There is no finished import to report on. Run the import first.');
    return writeErrorReport(createReadStream(this.records.filePath(importId)), run.report, target);
  }

  /** Stops offering an import (its summary closed, or an interrupted one the user does not want). */
  async discard(importId: string): Promise<void> {
    if (this.runs.get(importId)?.state === 'running') throw new AppError('conflict', 'That import is still running: cancel it first.');
    this.runs.delete(importId);
    await this.records.remove(importId);
  }

  /** Forgets the copies of imports that finished in an earlier run of the app. */
  async sweepFinished(): Promise<void> {
    for (const record of await this.records.list()) {
      if (this.runs.has(record.importId)) continue;
      if (!(await this.records.journalState(record)).interrupted) await this.records.remove(record.importId);
    }
  }
}
