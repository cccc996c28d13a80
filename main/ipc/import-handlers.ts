/**
 * The Import page's wizard (issue 10): files behind tokens (main's open dialog, or a dropped
 * file's bytes staged by main), the offline validation, the dry run, the import as a job, the
 * imports left interrupted (resume, discard) and the error report (main's save dialog).
 */
import path from 'node:path';
import type { ImportFileView } from '../../preload/api/schemas/import';
import { MAX_STAGED_BYTES } from '../../preload/api/schemas/import';
import { detectRosterKind } from '../../preload/api/roster/columns';
import type { ConnectionStore } from '../connections/connection-store';
import type { SessionEngine } from '../enrollment/session-engine';
import { readClinicNames } from '../enrollment/clinic-names';
import { AppError } from '../errors/app-error';
import type { JobRegistry } from '../jobs/job-registry';
import type { SessionManager } from '../session/session-manager';
import { ImportFiles } from '../import/app/import-files';
import { ImportRecords } from '../import/app/import-records';
import { ImportRunner } from '../import/app/import-runner';
import { planView, readHeaderFields, validationView } from '../import/app/import-views';
import { planRoster } from '../import/plan/plan-roster';
import { validateRoster } from '../import/roster/validate-roster';
import type { Handler } from './dispatcher';

/** The OS dialogs the wizard needs; main/shell gives Electron's, tests a fake. */
export interface ImportDialogs {
  /** The roster file the user picked, or undefined when they cancelled. */
  chooseRosterFile(): Promise<string | undefined>;
  /** Where to save the error report, or undefined when they cancelled. */
  chooseErrorReportTarget(suggestedName: string): Promise<string | undefined>;
}

export interface ImportHandlerDeps {
  engine: SessionEngine;
  jobs: JobRegistry;
  sessions: SessionManager;
  connections: ConnectionStore;
  userDataDir: string;
  importDialogs?: ImportDialogs;
  /** Today as YYYY-MM-DD (tests fix it). */
  today?: () => string;
}

const noDialogs: ImportDialogs = {
  chooseRosterFile: () => Promise.reject(new AppError('internal', 'This window cannot open files. Drop the file on the page instead.')),
  chooseErrorReportTarget: () => Promise.reject(new AppError('internal', 'This window cannot save files.')),
};

const today = () => new Date().toISOString().slice(0, 10);

function fileView(file: { token: string; name: string; size: number }): ImportFileView {
  return { token: file.token, name: file.name, size: file.size };
}

export function createImportHandlers(deps: ImportHandlerDeps): {
  chooseImportFile: Handler<'chooseImportFile'>;
  stageImportFile: Handler<'stageImportFile'>;
  validateImport: Handler<'validateImport'>;
  planImport: Handler<'planImport'>;
  startImport: Handler<'startImport'>;
  listImports: Handler<'listImports'>;
  resumeImport: Handler<'resumeImport'>;
  discardImport: Handler<'discardImport'>;
  saveImportErrorReport: Handler<'saveImportErrorReport'>;
} {
  const importsDir = path.join(deps.userDataDir, 'imports');
  const files = new ImportFiles(path.join(importsDir, 'staged'), MAX_STAGED_BYTES);
  const runner = new ImportRunner(deps.jobs, new ImportRecords(importsDir), deps.today ?? today);
  const dialogs = deps.importDialogs ?? noDialogs;
  let swept: Promise<void> | undefined;
  const consent = () => deps.engine.consentReference().catch(() => undefined);

  const reading = async (request: { token: string; kind?: 'patients' | 'practitioners' | undefined; columnOverrides?: Record<string, string> | undefined }) => {
    const bytes = await files.read(request.token);
    const overrides = request.columnOverrides ?? {};
    const header = await readHeaderFields(bytes);
    const file = () => (async function* () {
      yield bytes;
    })();
    return { bytes, overrides, header, file, ...(request.kind ? { kind: request.kind } : {}) };
  };

  return {
    chooseImportFile: async () => {
      const chosen = await dialogs.chooseRosterFile();
      return chosen ? fileView(await files.chosen(chosen)) : null;
    },
    stageImportFile: async ({ name, contentBase64 }) => fileView(await files.stage(name, Buffer.from(contentBase64, 'base64'))),
    validateImport: async (request) => {
      deps.engine.session();
      const read = await reading(request);
      const validation = await validateRoster(read.file(), {
        ...(read.kind ? { kind: read.kind } : {}),
        columnOverrides: read.overrides,
        defaultMrnSystem: deps.sessions.activeConnection().mrnSystem,
        today: (deps.today ?? today)(),
      });
      return validationView(validation, read.header, read.overrides, validation.issues, read.kind);
    },
    planImport: async (request) => {
      const ctx = await deps.engine.read();
      const read = await reading(request);
      const consentId = await consent();
      const [plan, names] = await Promise.all([
        planRoster(ctx, {
          file: read.file,
          ...(read.kind ? { kind: read.kind } : {}),
          columnOverrides: read.overrides,
          options: request.options,
          today: (deps.today ?? today)(),
          ...(consentId ? { consent: { reference: consentId } } : {}),
        }),
        readClinicNames(ctx),
      ]);
      return planView(plan, read.header, read.overrides, names, read.kind);
    },
    startImport: async (request) => {
      const ctx = await deps.engine.write();
      const read = await reading(request);
      const kind = read.kind ?? detectRosterKind(read.header.map((name) => (Object.hasOwn(read.overrides, name) ? read.overrides[name] || name : name)));
      if (!kind) throw new AppError('invalid_argument', 'Say which kind of roster this is (patients or clinicians) before importing it.');
      const started = await runner.start(
        ctx,
        { file: files.resolve(request.token), bytes: read.bytes, kind, columnOverrides: read.overrides, options: request.options, connectionId: deps.engine.session().connectionId },
        await consent(),
      );
      // The import has its own copy now; a staged drop is not needed any more.
      await files.forget(request.token);
      return started;
    },
    listImports: async () => {
      swept ??= runner.sweepFinished().catch(() => undefined);
      await swept;
      const { connections } = await deps.connections.list();
      return runner.list(new Map(connections.map((connection) => [connection.id, connection.name])));
    },
    resumeImport: async ({ importId }) => {
      const ctx = await deps.engine.write();
      return runner.resume(ctx, importId, deps.engine.session().connectionId, await consent());
    },
    discardImport: async ({ importId }) => {
      await runner.discard(importId);
      return { discarded: true };
    },
    saveImportErrorReport: async ({ importId }) => {
      const record = await runner.records.read(importId);
      if (!record) throw new AppError('not_found', 'That import is no longer kept on this computer.');
      const suggested = `${record.fileName.replace(/\.csv$/i, '')}-errors.csv`;
      const target = await dialogs.chooseErrorReportTarget(suggested);
      if (!target) return { saved: false, rows: 0 };
      return { saved: true, rows: await runner.saveErrorReport(importId, target) };
    },
  };
}
