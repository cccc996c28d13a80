/**
 * `mso-admin import <file> --connection <name>`: the same import as the app's, signed in with the
 * app's saved sign-in. A dry run first (always), then the writes unless `--dry-run`; Ctrl+C stops
 * between people and a later `--resume` (or just the same command) finishes the job.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RosterKind } from '../../preload/api/roster/columns';
import { findUniversalConsent } from '../engines/consent';
import { AppError } from '../errors/app-error';
import { createLogger } from '../logging/logger';
import type { ImportOptions } from '../import/plan/import-plan';
import { type ReportedRow, writeErrorReport } from '../import/error-report';
import { describeIssue } from '../import/roster/roster-issue';
import { type RunImportResult, runImport } from '../import/run-import';
import type { CommandIo } from './command-io';
import { EXIT } from './exit-codes';
import { defaultUserDataDir, openHeadlessSession } from './headless-session';

export interface ImportArguments {
  readonly file: string;
  readonly connection: string;
  readonly kind?: RosterKind;
  readonly options: ImportOptions;
  readonly dryRun: boolean;
  readonly journal?: string;
  readonly errorReport?: string;
  readonly json: boolean;
  readonly userDataDir?: string;
  readonly keychainService?: string;
}

function summaryJson(args: ImportArguments, result: RunImportResult): object {
  const { plan, applied } = result;
  return {
    file: args.file,
    kind: plan.kind ?? null,
    dryRun: args.dryRun,
    blocked: plan.blocked,
    fileError: plan.validation.fileError ?? null,
    totals: plan.totals,
    clinicsToCreate: plan.clinicsToCreate.length,
    estimate: { points: plan.estimate.points, minutes: Math.round(plan.estimate.minutes * 10) / 10, pointsPerMinute: plan.estimate.pointsPerMinute },
    applied: applied ? { created: applied.created, changed: applied.changed, failed: applied.failed.length, cancelled: applied.cancelled } : null,
    resumed: result.resumed,
    errors: plan.issues.filter((issue) => issue.severity === 'error').map(({ line, column, message, earlierLine }) => ({ line, column, message, ...(earlierLine ? { earlierLine } : {}) })),
    warnings: plan.issues.filter((issue) => issue.severity === 'warning').map(({ line, column, message }) => ({ line, column, message })),
    failedRows: applied?.failed.map((failure) => ({ lines: failure.lines, message: failure.reason })) ?? [],
  };
}

/** Where the journal lives: beside the app's settings, one per file content. */
async function journalPathFor(args: ImportArguments, userDataDir: string): Promise<string> {
  if (args.journal) return args.journal;
  const digest = createHash('sha256').update(await readFile(args.file)).digest('hex').slice(0, 16);
  return path.join(userDataDir, 'imports', `${digest}.journal`);
}

export async function runImportCommand(args: ImportArguments, io: CommandIo, signal: AbortSignal): Promise<number> {
  const userDataDir = args.userDataDir ?? defaultUserDataDir();
  const logger = createLogger(() => undefined);
  let session;
  try {
    session = await openHeadlessSession({ userDataDir, connection: args.connection, logger, ...(args.keychainService ? { keychainService: args.keychainService } : {}) });
  } catch (error) {
    if (error instanceof AppError) {
      io.err(error.message);
      if (error.code === 'not_signed_in' || error.code === 'keychain_unavailable') return EXIT.signInNeeded;
      return error.code === 'network_error' ? EXIT.failed : EXIT.usage;
    }
    throw error;
  }
  try {
    const ctx = await session.engine.write();
    const consentId = await session.engine.consentReference().catch(() => undefined) ?? (await findUniversalConsent(ctx.client).catch(() => undefined));
    const result = await runImport(ctx, {
      filePath: args.file,
      ...(args.kind ? { kind: args.kind } : {}),
      options: args.options,
      journalPath: await journalPathFor(args, userDataDir),
      today: io.today(),
      ...(consentId ? { consent: { reference: consentId } } : {}),
      signal,
      dryRun: args.dryRun,
      onPhase: (phase) => io.progress(phase === 'planning' ? 'Checking the file against the server…' : 'Importing…'),
      onProgress: (progress) => io.progress(`Imported ${progress.done} of ${progress.total}${progress.failed ? ` (${progress.failed} failed)` : ''}`),
    });
    io.progress(null);
    if (args.errorReport) await saveErrorReport(args, result);
    if (args.json) io.out(JSON.stringify(summaryJson(args, result)));
    else printSummary(io, args, result);
    if (result.plan.validation.fileError || result.plan.blocked) return EXIT.invalidFile;
    if (result.applied?.cancelled) return EXIT.cancelled;
    if ((result.applied?.failed.length ?? 0) > 0) return EXIT.partial;
    return EXIT.ok;
  } catch (error) {
    io.progress(null);
    if (signal.aborted) {
      io.err('Stopped. Run the same command again to finish the import.');
      return EXIT.cancelled;
    }
    if (error instanceof AppError) {
      io.err(error.message);
      return error.code === 'not_signed_in' ? EXIT.signInNeeded : EXIT.failed;
    }
    throw error;
  } finally {
    await session.end();
  }
}

async function saveErrorReport(args: ImportArguments, result: RunImportResult): Promise<void> {
  const rows: ReportedRow[] = [
    ...result.plan.issues.filter((issue) => issue.severity === 'error').map((issue) => ({ line: issue.line, status: 'error' as const, message: describeIssue(issue) })),
    ...(result.applied?.failed ?? []).flatMap((failure) => failure.lines.map((line) => ({ line, status: 'failed' as const, message: failure.reason }))),
  ];
  await writeErrorReport(createReadStream(args.file), rows, args.errorReport as string);
}

function printSummary(io: CommandIo, args: ImportArguments, result: RunImportResult): void {
  const { plan, applied } = result;
  if (plan.validation.fileError) {
    io.out(`${args.file}: ${plan.validation.fileError.message}`);
    return;
  }
  for (const issue of plan.issues) io.out(`${issue.severity}: ${describeIssue(issue)}`);
  const t = plan.totals;
  io.out(`Plan: ${t.create} to create, ${t.enroll} to enroll, ${t.unenroll} to unenroll, ${t.unchanged} unchanged, ${t.error} with errors, ${t.warning} with warnings.`);
  if (plan.clinicsToCreate.length) io.out(`${plan.clinicsToCreate.length} clinic(s) will be created.`);
  io.out(
    `At the server's quota (${plan.estimate.pointsPerMinute.toLocaleString('en-US')} points a minute) this takes at least ${Math.ceil(plan.estimate.minutes)} minute(s); a server administrator can raise the project's userFhirQuota.`,
  );
  if (plan.blocked) io.out('Strict mode: nothing was imported because of the errors above.');
  if (applied) {
    io.out(`Done: ${applied.created} created, ${applied.changed} changed, ${applied.failed.length} failed${applied.cancelled ? '; stopped before the end (run again to finish)' : ''}.`);
    for (const failure of applied.failed) io.out(`failed: line ${failure.lines.join(', ')}: ${failure.reason}`);
  } else if (args.dryRun) {
    io.out('Dry run: nothing was written.');
  }
}
