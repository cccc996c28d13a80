/**
 * The IPC contract: every channel between the renderer and main, with the runtime schema of
 * its request (checked in main before any handler runs) and the TypeScript type of its response.
 * Main, the preload bridge, the renderer and the end-to-end harness all read this one file.
 */
import { z } from 'zod';
import type { ErrorCode } from './errors';
import {
  type Connection,
  type SessionEvent,
  type SessionInfo,
  type SignInResult,
  connectionInputSchema,
  credentialsSchema,
  medplumBaseUrl,
} from './schemas/connection';
import {
  type AccessTimeline,
  type RecentChanges,
  type TrailPage,
  type UndoOutcome,
  type UndoPreview,
  accessTimelineRequest,
  applyUndoRequest,
  previewUndoRequest,
  recentChangesRequest,
  trailPageRequest,
} from './schemas/history';
import {
  type ActivityView,
  type ChangeResult,
  type ClinicSummaryView,
  type ClinicView,
  type ClinicianDetail,
  type ClinicianRow,
  type PatientPageView,
  type PatientRow,
  type PolicyStatus,
  activityPageRequest,
  clinicIdRequest,
  clinicIdentifierRequest,
  clinicPageRequest,
  clinicSearchRequest,
  createClinicRequest,
  createClinicianRequest,
  createPatientRequest,
  enrollInClinicRequest,
  installPolicyRequest,
  pageSchema,
  patientIdRequest,
  practitionerIdRequest,
  renameClinicRequest,
  searchRequest,
  setClinicActiveRequest,
  setClinicianClinicsRequest,
  setPatientClinicsRequest,
  setPatientConsentRequest,
} from './schemas/enrollment';
import {
  type ImportFileView,
  type ImportPlanView,
  type ImportRunView,
  type ImportValidationView,
  importIdRequest,
  importReadingSchema,
  planImportRequest,
  stageImportFileRequest,
} from './schemas/import';
import {
  type AuditExport,
  type AuditReport,
  type ClinicAccessView,
  type ClinicianAccessView,
  type PatientAccessView,
  type RepairPreview,
  type ViewAsClinicianView,
  auditClinicRequest,
  auditPatientRequest,
  auditPractitionerRequest,
  emptyAuditRequest,
  exportAuditRequest,
  findingIdRequest,
  previewIdRequest,
} from './schemas/audit';

/** A response type carried by the contract; the value is never read at run time. */
function responseOf<T>(): T {
  return undefined as T;
}

const noArguments = z.object({}).strict();
const uuid = z.string().uuid();
const medplumId = z.string().regex(/^(?=.*[A-Za-z0-9])[A-Za-z0-9\-.]{1,64}$/);

export interface AppInfo {
  name: string;
  version: string;
  platform: string;
  packaged: boolean;
  runtime: { electron: string | null; chrome: string | null; node: string };
}

/** The managed configuration IT installed on this computer, as main applied it. */
export interface ManagedConfigStatus {
  /** none: there is no file; applied: it is in force; invalid: it was reported and nothing of it applies. */
  status: 'none' | 'applied' | 'invalid';
  /** Where the console looks for it on this OS. */
  path: string;
  /** What is wrong with the file, in plain words with the line where known; empty unless invalid. */
  problems: string[];
  hideLocalSandbox: boolean;
  updatesEnabled: boolean;
}

export type JobState = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobProgress {
  jobId: string;
  kind: string;
  state: JobState;
  done: number;
  total: number | null;
  /** Items per second over the job so far; null until there is something to measure. */
  ratePerSecond: number | null;
  /** Estimated seconds left; null when the total is unknown. */
  secondsLeft: number | null;
  /** Plain words for the user; never holds row values or secrets. */
  message: string;
}

export const invokeContract = {
  getAppInfo: { request: noArguments, response: responseOf<AppInfo>() },
  getManagedConfig: { request: noArguments, response: responseOf<ManagedConfigStatus>() },
  openExternal: {
    request: z.object({ url: z.string().max(2048) }).strict(),
    response: responseOf<{ opened: boolean }>(),
  },
  listJobs: { request: noArguments, response: responseOf<JobProgress[]>() },
  cancelJob: {
    request: z.object({ jobId: z.string().uuid() }).strict(),
    response: responseOf<{ cancelled: boolean }>(),
  },

  listConnections: {
    request: noArguments,
    response: responseOf<{ connections: Connection[]; activeConnectionId: string | null }>(),
  },
  saveConnection: { request: z.object({ connection: connectionInputSchema }).strict(), response: responseOf<Connection>() },
  removeConnection: { request: z.object({ connectionId: uuid }).strict(), response: responseOf<{ removed: boolean }>() },
  testConnection: {
    request: z.object({ baseUrl: medplumBaseUrl }).strict(),
    response: responseOf<{ reachable: boolean; message: string }>(),
  },
  signIn: {
    request: z.object({ connectionId: uuid, credentials: credentialsSchema }).strict(),
    response: responseOf<SignInResult>(),
  },
  chooseMembership: {
    request: z.object({ pendingId: uuid, membershipId: medplumId }).strict(),
    response: responseOf<SessionInfo>(),
  },
  getSession: { request: noArguments, response: responseOf<SessionInfo | null>() },
  signOut: { request: noArguments, response: responseOf<{ signedOut: boolean }>() },

  listClinics: { request: noArguments, response: responseOf<ClinicSummaryView[]>() },
  getClinic: { request: clinicIdRequest, response: responseOf<ClinicView>() },
  createClinic: { request: createClinicRequest, response: responseOf<ChangeResult<ClinicView>>() },
  renameClinic: { request: renameClinicRequest, response: responseOf<ChangeResult<ClinicView>>() },
  setClinicActive: { request: setClinicActiveRequest, response: responseOf<ChangeResult<ClinicView>>() },
  addClinicIdentifier: { request: clinicIdentifierRequest, response: responseOf<ChangeResult<ClinicView>>() },
  removeClinicIdentifier: { request: clinicIdentifierRequest, response: responseOf<ChangeResult<ClinicView>>() },
  listClinicPatients: { request: clinicPageRequest, response: responseOf<PatientPageView>() },
  /** Starts a long job; progress and the closing sentence arrive as jobProgress events. */
  enrollInClinic: { request: enrollInClinicRequest, response: responseOf<{ jobId: string }>() },
  listClinicClinicians: { request: clinicSearchRequest, response: responseOf<ClinicianRow[]>() },

  listDirectory: { request: searchRequest, response: responseOf<ClinicianRow[]>() },
  getClinician: { request: practitionerIdRequest, response: responseOf<ClinicianDetail>() },
  createClinician: { request: createClinicianRequest, response: responseOf<ChangeResult<ClinicianDetail>>() },
  setClinicianClinics: { request: setClinicianClinicsRequest, response: responseOf<ChangeResult<ClinicianDetail>>() },
  /** Medplum's email to set a password, for a clinician invited without one. */
  sendClinicianInvitation: { request: practitionerIdRequest, response: responseOf<ChangeResult<ClinicianDetail>>() },

  listPatients: { request: pageSchema.strict(), response: responseOf<PatientPageView>() },
  getPatient: { request: patientIdRequest, response: responseOf<PatientRow>() },
  createPatient: { request: createPatientRequest, response: responseOf<ChangeResult<PatientRow>>() },
  setPatientClinics: { request: setPatientClinicsRequest, response: responseOf<ChangeResult<PatientRow>>() },
  setPatientConsent: { request: setPatientConsentRequest, response: responseOf<ChangeResult<PatientRow>>() },

  getPolicyStatus: { request: noArguments, response: responseOf<PolicyStatus>() },
  installPolicy: { request: installPolicyRequest, response: responseOf<ChangeResult<PolicyStatus>>() },
  listActivity: { request: activityPageRequest, response: responseOf<{ entries: ActivityView[]; total: number }>() },

  /** Roster import wizard (issue 10; preload/api/schemas/import.ts): files behind tokens, never paths. */
  chooseImportFile: { request: noArguments, response: responseOf<ImportFileView | null>() },
  stageImportFile: { request: stageImportFileRequest, response: responseOf<ImportFileView>() },
  validateImport: { request: importReadingSchema, response: responseOf<ImportValidationView>() },
  planImport: { request: planImportRequest, response: responseOf<ImportPlanView>() },
  /** Starts the import as a job; progress and the closing sentence arrive as jobProgress events. */
  startImport: { request: planImportRequest, response: responseOf<{ importId: string; jobId: string }>() },
  listImports: { request: noArguments, response: responseOf<ImportRunView[]>() },
  resumeImport: { request: importIdRequest, response: responseOf<{ importId: string; jobId: string }>() },
  discardImport: { request: importIdRequest, response: responseOf<{ discarded: boolean }>() },
  saveImportErrorReport: { request: importIdRequest, response: responseOf<{ saved: boolean; rows: number }>() },

  /** Access audit (issue 12; preload/api/schemas/audit.ts says what each returns). */
  /** Starts the audit as a job (a running one is followed); the report is then getAuditReport's. */
  runAudit: { request: emptyAuditRequest, response: responseOf<{ jobId: string }>() },
  getAuditReport: { request: emptyAuditRequest, response: responseOf<AuditReport | null>() },
  getClinicianAccess: { request: auditPractitionerRequest, response: responseOf<ClinicianAccessView>() },
  getPatientAccess: { request: auditPatientRequest, response: responseOf<PatientAccessView>() },
  getClinicAccess: { request: auditClinicRequest, response: responseOf<ClinicAccessView>() },
  viewAsClinician: { request: auditPractitionerRequest, response: responseOf<ViewAsClinicianView>() },
  previewRepair: { request: findingIdRequest, response: responseOf<RepairPreview>() },
  /** Starts the previewed repair as a job; progress and the closing sentence arrive as jobProgress events. */
  applyRepair: { request: previewIdRequest, response: responseOf<{ jobId: string }>() },
  exportAudit: { request: exportAuditRequest, response: responseOf<AuditExport>() },

  /** GET-only FHIR reads for @medplum/react components; main adds the token. */
  medplumRead: {
    request: z.object({ url: z.string().max(4096) }).strict(),
    response: responseOf<{ status: number; contentType: string; body: string }>(),
  },

  /** Access history, shared trail and undo (issue 13; preload/api/schemas/history.ts says what each returns). */
  getAccessTimeline: { request: accessTimelineRequest, response: responseOf<AccessTimeline>() },
  listRecentChanges: { request: recentChangesRequest, response: responseOf<RecentChanges>() },
  listTrail: { request: trailPageRequest, response: responseOf<TrailPage>() },
  previewUndo: { request: previewUndoRequest, response: responseOf<UndoPreview>() },
  /** An import's undo starts a job (jobId set; progress as jobProgress events, cancel with cancelJob). */
  applyUndo: { request: applyUndoRequest, response: responseOf<UndoOutcome>() },
} as const;

/** Commands the native menu and its shortcuts send to the UI. */
export type MenuCommand = 'search' | 'new-clinic' | 'import' | 'about';

export const eventContract = {
  jobProgress: responseOf<JobProgress>(),
  menuCommand: responseOf<{ command: MenuCommand }>(),
  sessionChanged: responseOf<SessionEvent>(),
} as const;

export type InvokeChannel = keyof typeof invokeContract;
export type EventChannel = keyof typeof eventContract;
export type RequestOf<C extends InvokeChannel> = z.input<(typeof invokeContract)[C]['request']>;
export type ParsedRequestOf<C extends InvokeChannel> = z.output<(typeof invokeContract)[C]['request']>;
export type ResponseOf<C extends InvokeChannel> = (typeof invokeContract)[C]['response'];
export type EventPayloadOf<E extends EventChannel> = (typeof eventContract)[E];

/** Stable error codes the renderer can branch on. */
export type IpcErrorCode = ErrorCode;

export interface IpcError {
  code: IpcErrorCode;
  message: string;
  /** Technical detail for the "Details" disclosure; never secrets or PHI. */
  details?: string;
  /** The form field a refusal concerns, decided in main from what the server said. */
  field?: string;
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export const invokeChannelNames = Object.keys(invokeContract) as InvokeChannel[];
export const eventChannelNames = Object.keys(eventContract) as EventChannel[];

/** The wire name of a channel; one prefix so main can refuse anything else. */
export function wireInvokeChannel(channel: InvokeChannel): string {
  return `mso:invoke:${channel}`;
}

export function wireEventChannel(channel: EventChannel): string {
  return `mso:event:${channel}`;
}
