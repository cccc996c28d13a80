/**
 * The roster import wizard's channels (issue 10, "In the app"): requests and views.
 *
 * The renderer never hands main a filesystem path. A file reaches main either through main's own
 * open dialog (`chooseImportFile`) or as the bytes of a dropped file (`stageImportFile`, at most
 * `MAX_STAGED_BYTES`); either way main keeps the file behind an opaque `token` for this run of
 * the app. An import started from a token gets an `importId` that survives restarts (resume).
 */
import { z } from 'zod';
import { columnsOf } from '../roster/columns';

/** The largest dropped file main takes (docs/import.md): 64 MiB, some 300,000 patient rows. */
export const MAX_STAGED_BYTES = 64 * 1024 * 1024;
const MAX_BASE64_LENGTH = Math.ceil(MAX_STAGED_BYTES / 3) * 4;

const token = z.string().uuid();
const importId = z.string().uuid();
export const rosterKindSchema = z.enum(['patients', 'practitioners']);
const allColumnKeys = new Set([...columnsOf('patients'), ...columnsOf('practitioners')].map((column) => column.key));

/** Header name as the file writes it (trimmed) → a column key, or '' to ignore that column. */
export const columnOverridesSchema = z
  .record(
    z.string().trim().min(1).max(200),
    z.string().refine((key) => key === '' || allColumnKeys.has(key), 'must be a column of the roster format, or empty to ignore the column'),
  )
  .refine((record) => Object.keys(record).length <= 100, 'at most 100 columns can be mapped');

export const importOptionsSchema = z
  .object({
    createMissingClinics: z.boolean(),
    updateDemographics: z.boolean(),
    sendInvites: z.boolean(),
    strict: z.boolean(),
  })
  .strict();

export const stageImportFileRequest = z
  .object({
    /** The file's name as the user's system showed it (for display only; never used as a path). */
    name: z.string().trim().min(1).max(255),
    /** The file's bytes, base64 (both Electron IPC and the test harness carry strings as they are). */
    contentBase64: z.string().max(MAX_BASE64_LENGTH, `a dropped file may be at most ${MAX_STAGED_BYTES / 1024 / 1024} MiB; choose it with "Choose file…" instead`),
  })
  .strict();

/** Which file, read how: the same for validate, plan and start. */
export const importReadingSchema = z
  .object({
    token,
    kind: rosterKindSchema.optional(),
    columnOverrides: columnOverridesSchema.optional(),
  })
  .strict();

export const planImportRequest = importReadingSchema.extend({ options: importOptionsSchema }).strict();
export const importIdRequest = z.object({ importId }).strict();

export type RosterKindView = z.infer<typeof rosterKindSchema>;
export type ImportOptionsInput = z.infer<typeof importOptionsSchema>;

export interface ImportFileView {
  token: string;
  name: string;
  size: number;
}

export interface ImportIssueView {
  severity: 'error' | 'warning';
  line: number;
  /** The column as the file's header writes it, and its 1-based position. */
  column?: string;
  columnNumber?: number;
  /** Plain words; never a value of the row. */
  message: string;
  earlierLine?: number;
}

export interface ImportColumnView {
  /** As the header writes it. */
  header: string;
  position: number;
  /** The format's column it was read as; null: ignored. */
  key: string | null;
  /** The user chose this mapping. */
  overridden: boolean;
}

export interface ImportValidationView {
  /** The kind the file was read as (the user's choice, or detected); null when unknown. */
  kind: RosterKindView | null;
  /** What the header alone says. */
  detectedKind: RosterKindView | null;
  delimiter: 'comma' | 'semicolon' | 'tab' | null;
  rows: number;
  validRows: number;
  errorRows: number;
  fileError: { message: string; line?: number } | null;
  columns: ImportColumnView[];
  /** Errors and warnings by line; at most `ISSUES_SHOWN`, `issuesTotal` says how many there are. */
  issues: ImportIssueView[];
  issuesTotal: number;
}

export type ImportRowStatus = 'create' | 'enroll' | 'unenroll' | 'unchanged' | 'error';

export interface ImportPlanView {
  validation: ImportValidationView;
  /** Strict mode met an error, or the file cannot be imported: nothing would be written. */
  blocked: boolean;
  totals: { rows: number; create: number; enroll: number; unenroll: number; unchanged: number; error: number; warning: number };
  /** People (all their rows merged) the import will create or change. */
  people: { create: number; change: number; unchanged: number };
  clinicsToCreate: string[];
  /** Per clinic: how many people will be created in it, added to it, removed from it. */
  byClinic: { name: string; created: number; added: number; removed: number }[];
  estimate: { points: number; minutes: number; pointsPerMinute: number; quotaSource: 'project-setting' | 'medplum-default' };
  issues: ImportIssueView[];
  issuesTotal: number;
  /** Each data row's status, by line; at most `ROWS_SHOWN`. */
  rows: { line: number; status: ImportRowStatus }[];
  rowsTotal: number;
}

export interface ImportResultView {
  created: number;
  changed: number;
  /** Rows skipped for errors in the dry run. */
  skipped: number;
  /** People whose change the server refused. */
  failed: number;
  failedRows: { lines: number[]; message: string }[];
  clinicsCreated: number;
  cancelled: boolean;
  resumed: boolean;
  /** Rows the error report would hold (errors and failures). */
  reportRows: number;
}

export interface ImportRunView {
  importId: string;
  fileName: string;
  kind: RosterKindView;
  connectionId: string;
  connectionName: string | null;
  startedAt: string;
  /** running: a job is on it now; interrupted: stopped before the end (crash, quit, cancel), resumable; finished: ended in this run of the app. */
  state: 'running' | 'interrupted' | 'finished' | 'failed';
  jobId: string | null;
  /** People the journal says are done (interrupted imports). */
  peopleDone: number;
  result: ImportResultView | null;
  /** The reason a failed import stopped, in plain words. */
  failure: string | null;
}

export const ISSUES_SHOWN = 2_000;
export const ROWS_SHOWN = 5_000;
