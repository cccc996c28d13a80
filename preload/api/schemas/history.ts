/**
 * Access history, the shared trail and undo (issue 13): requests and views.
 *
 * Channels (preload/api/contract.ts; every response is the usual `{ok, value | error}` envelope):
 * - `getAccessTimeline({record, count?, before?})` → `AccessTimeline`: the access changes of one
 *   Patient, Practitioner (their memberships) or Organization, newest first, read from the
 *   resources' own `_history` whichever tool made them. `before` pages on (the `nextBefore` given).
 * - `listRecentChanges({since, count?})` → `RecentChanges`: access changes across the project
 *   since a time (`_lastUpdated` searches, each hit diffed against its previous version).
 * - `listTrail({offset?, count?, action?, result?, record?, since?})` → `TrailPage`: the Activity
 *   page's data: every administrator's changes (server AuditEvents) merged with this desktop's
 *   entries not yet sent (`pending: true`), newest first.
 * - `previewUndo({target})` → `UndoPreview`: what an undo would do, in words, and its conflicts.
 * - `applyUndo({target, scope})` → `UndoOutcome`: `scope: 'exact'` restores the state before the
 *   change and is refused (error `conflict`, with the explanation) if the record changed since;
 *   `scope: 'only-this-change'` applies the inverse of just that change to the record as it is now.
 *   An import's undo starts a job (`jobId`; progress on the `jobProgress` event, cancel with `cancelJob`).
 *
 * An undo target is a trail entry (`{trailId}`: from `TrailEntry.id`), a timeline line
 * (`{record, versionId}`: from `TimelineEntry`), or a whole import (`{importId}`).
 */
import { z } from 'zod';

const reference = z.string().regex(/^[A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/, 'must be a reference such as Patient/123');
const historyRecord = z.string().regex(/^(Patient|Practitioner|Organization)\/[A-Za-z0-9\-.]{1,64}$/, 'must be a Patient, Practitioner or Organization reference');
const versionId = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/);
const trailId = z.string().regex(/^(server|local):[A-Za-z0-9\-.]{1,64}$/);
const importId = z.string().uuid();

export const accessTimelineRequest = z
  .object({
    record: historyRecord,
    count: z.number().int().min(1).max(200).default(50),
    /** From a previous page's `nextBefore`: only changes older than that. */
    before: z.iso.datetime().optional(),
  })
  .strict();

export const recentChangesRequest = z
  .object({
    since: z.iso.datetime(),
    count: z.number().int().min(1).max(500).default(100),
  })
  .strict();

export const trailPageRequest = z
  .object({
    offset: z.number().int().min(0).max(10_000).default(0),
    count: z.number().int().min(1).max(500).default(100),
    action: z.string().regex(/^[a-z-]+\.[a-z-]+$/).optional(),
    result: z.enum(['ok', 'failed']).optional(),
    record: reference.optional(),
    since: z.iso.datetime().optional(),
  })
  .strict();

export const undoTargetSchema = z.union([
  z.object({ trailId }).strict(),
  z.object({ record: z.string().regex(/^(Patient|ProjectMembership)\/[A-Za-z0-9\-.]{1,64}$/), versionId }).strict(),
  z.object({ importId }).strict(),
]);

export const previewUndoRequest = z.object({ target: undoTargetSchema }).strict();
export const applyUndoRequest = z
  .object({ target: undoTargetSchema, scope: z.enum(['exact', 'only-this-change']).default('exact') })
  .strict();

export type UndoTarget = z.output<typeof undoTargetSchema>;

/** A record named with what the console can show for it (the reference alone if it cannot be read). */
export interface NamedReference {
  reference: string;
  display: string;
}

/** One field of an access change: references added and removed, or a value before and after. */
export interface FieldChange {
  /** `clinics`, `consent`, `assigned-clinicians` (patients); `clinics`, `base-policy`, `label`, `active` (memberships); `name`, `active`, `identifiers` (clinics). */
  field: 'clinics' | 'consent' | 'assigned-clinicians' | 'base-policy' | 'label' | 'active' | 'name' | 'identifiers' | 'membership';
  added: NamedReference[];
  removed: NamedReference[];
  /** For value fields (label, active, name): plain values, never PHI (labels are clinic names). */
  before?: string | null;
  after?: string | null;
}

export interface TimelineEntry {
  /** When the version was written (`meta.lastUpdated`). */
  time: string;
  /** `meta.author` of the version, and the name the console shows for it. */
  author: NamedReference;
  /** When the author acted on behalf of someone (`meta.onBehalfOf`). */
  onBehalfOf?: NamedReference;
  /** The resource whose version this is (Patient/…, ProjectMembership/…, Organization/…). */
  resource: string;
  versionId: string;
  /** The person or clinic the change concerns (for a membership: its Practitioner). */
  subject: NamedReference;
  changes: FieldChange[];
  /** "Dec 1, 09:03 · Ann Admin added Uptown Clinic": the line as the timeline shows it. */
  sentence: string;
  /** Whether `previewUndo({record: resource, versionId})` can offer an undo (or `{trailId}` when set). */
  undoable: boolean;
  /**
   * Set when the line comes from the shared trail rather than the record's own history (a clinic's
   * timeline lists the console's changes of its patients and clinicians): undo it with `{trailId}`.
   */
  trailId?: string;
}

export interface AccessTimeline {
  entries: TimelineEntry[];
  /** Pass as `before` for older entries; null when there are none. */
  nextBefore: string | null;
  /** Server requests this page cost. */
  requests: number;
}

export interface RecentChanges {
  entries: TimelineEntry[];
  /** False when more records changed since `since` than were read (the page was full). */
  complete: boolean;
  requests: number;
}

export interface TrailEntry {
  /** `server:<AuditEvent id>` or `local:<entry id>` (not yet sent): the undo target's `trailId`. */
  id: string;
  time: string;
  actor: NamedReference;
  action: string;
  result: 'ok' | 'failed';
  /** The records concerned (subject first). */
  records: NamedReference[];
  changes: FieldChange[];
  sentence: string;
  /** Written on this desktop and not yet on the server (offline or failing). */
  pending: boolean;
  undoable: boolean;
  /** Set when the entry is one row of an import (the `importId` undo target). */
  importId?: string;
  /** The trail entry this one undid, if it is an undo. */
  undoes?: string;
  detail: Record<string, string | number | boolean>;
}

export interface TrailPage {
  entries: TrailEntry[];
  total: number;
  /** Entries of this desktop waiting to be sent to the server. */
  pending: number;
  /** False when the server could not be read: the page then holds the local log only. */
  serverReachable: boolean;
}

export interface UndoConflict {
  /** The record that changed since. */
  record: NamedReference;
  /** Plain words: what changed since, by whom, when, and why an exact undo would lose it. */
  explanation: string;
}

export interface UndoPreview {
  /** "Dana Lee will again see the 1,240 patients of Uptown Clinic." */
  sentence: string;
  /** What the undo will write, per record. */
  changes: { record: NamedReference; changes: FieldChange[] }[];
  /** Non-empty: an exact undo is refused; `only-this-change` is offered instead (when `inverseAvailable`). */
  conflicts: UndoConflict[];
  /** False when there is nothing left to undo (the change was already reversed, or failed). */
  undoable: boolean;
  /** Whether the inverse of just this change would still change something. */
  inverseAvailable: boolean;
  /** `job` for an import: `applyUndo` then answers with a jobId. */
  kind: 'single' | 'job';
  /** Records an undo will write (for a job: its rows). */
  count: number;
}

export interface UndoOutcome {
  /** Null unless the undo runs as a job. */
  jobId: string | null;
  /** One sentence for the notification. */
  summary: string;
  /** The trail id of the undo's own entry (null for a job: each row has one). */
  trailId: string | null;
}
