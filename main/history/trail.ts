/**
 * The Activity page's data: every administrator's changes from the project's AuditEvents, merged
 * with this desktop's entries not yet sent. Filters run on the server (one search).
 */
import type { MedplumClient } from '@medplum/core';
import type { AuditEvent, Bundle } from '@medplum/fhirtypes';
import type { TrailEntry, TrailPage } from '../../preload/api/schemas/history';
import { type ActivityEntry, IMPORT_ACTION } from '../engines/activity-log';
import { fresh } from '../engines/engine-context';
import { ACTION_SYSTEM, IMPORT_ROW_CODE, TRAIL_TAG, fromAuditEvent, isImportRow } from './audit-event';
import { createNameResolver, type NameResolver } from './names';
import { formatWhen } from './sentences';
import { listDelta } from './access-state';
import { nameChanges } from './named-changes';
import type { RawFieldChange } from './version-diff';

export interface TrailFilter {
  readonly offset: number;
  readonly count: number;
  readonly action?: string;
  readonly result?: 'ok' | 'failed';
  readonly record?: string;
  readonly since?: string;
}

export function matches(entry: ActivityEntry, filter: TrailFilter): boolean {
  return (
    (!filter.action || entry.action === filter.action) &&
    (!filter.result || entry.result === filter.result) &&
    (!filter.record || entry.targets.includes(filter.record) || entry.actor === filter.record) &&
    (!filter.since || entry.time >= filter.since) &&
    // The Activity list shows an import once; a record's own trail shows the rows that touched it.
    (filter.record !== undefined || !isImportRow(entry))
  );
}

export function trailSearch(filter: TrailFilter): Record<string, string> {
  return {
    _tag: filter.record
      ? `${TRAIL_TAG.system}|${TRAIL_TAG.code},${TRAIL_TAG.system}|${IMPORT_ROW_CODE}`
      : `${TRAIL_TAG.system}|${TRAIL_TAG.code}`,
    _sort: '-date',
    _count: String(filter.count),
    _total: 'accurate',
    ...(filter.offset ? { _offset: String(filter.offset) } : {}),
    ...(filter.action ? { subtype: `${ACTION_SYSTEM}|${filter.action}` } : {}),
    ...(filter.result ? { outcome: filter.result === 'ok' ? '0' : '4' } : {}),
    ...(filter.record ? { entity: filter.record } : {}),
    ...(filter.since ? { date: `ge${filter.since}` } : {}),
  };
}

/** Entries whose change can be undone: an access change that did something. */
export function isUndoable(entry: ActivityEntry): boolean {
  const change = entry.change;
  if (entry.result !== 'ok' || !change) return false;
  const { added, removed } = listDelta(change.before, change.after);
  return added.length + removed.length > 0;
}

/** An import's own entry (not a row): it carries no change, and its undo is the whole import's. */
function isImportOwnEntry(entry: ActivityEntry): boolean {
  return entry.action === IMPORT_ACTION && !!entry.importId;
}

function fieldOf(reference: string, field: 'accounts' | 'clinics'): RawFieldChange['field'] {
  if (field === 'clinics') return 'clinics';
  return reference.startsWith('Consent/') ? 'consent' : reference.startsWith('Practitioner/') ? 'assigned-clinicians' : 'clinics';
}

/** The change of an entry as field changes (patients' accounts split by what they mean). */
export function rawChangesOf(entry: ActivityEntry): RawFieldChange[] {
  const change = entry.change;
  if (!change) return [];
  const { added, removed } = listDelta(change.before, change.after);
  const byField = new Map<RawFieldChange['field'], { added: string[]; removed: string[] }>();
  for (const [list, key] of [[added, 'added'], [removed, 'removed']] as const) {
    for (const ref of list) {
      const field = fieldOf(ref, change.field);
      const slot = byField.get(field) ?? { added: [], removed: [] };
      slot[key].push(ref);
      byField.set(field, slot);
    }
  }
  return [...byField.entries()].map(([field, slot]) => ({ field, ...slot }));
}

const ACTION_WORDS: Record<string, string> = {
  'patient.undo': 'undid a change of a patient’s access',
  'clinician.undo': 'undid a change of a clinician’s clinics',
};

export async function viewOf(names: NameResolver, entry: ActivityEntry & { id: string }, trailId: string, pending: boolean): Promise<TrailEntry> {
  const actor = await names.name(entry.actor);
  const records = await Promise.all(entry.targets.map((t) => names.name(t)));
  const changes = await nameChanges(names, rawChangesOf(entry));
  const what = ACTION_WORDS[entry.action] ?? entry.action;
  const subject = records[0]?.display ?? '';
  const failed = entry.result === 'failed' ? ' (failed)' : '';
  return {
    id: trailId,
    time: entry.time,
    actor,
    action: entry.action,
    result: entry.result,
    records,
    changes,
    sentence: `${formatWhen(entry.time)} · ${actor.display}: ${what}${subject ? ` — ${subject}` : ''}${failed}`,
    pending,
    undoable: isUndoable(entry) || isImportOwnEntry(entry),
    ...(entry.importId ? { importId: entry.importId } : {}),
    ...(entry.undoes ? { undoes: entry.undoes } : {}),
    detail: { ...(entry.detail ?? {}) },
  };
}

export async function listTrail(client: MedplumClient, pending: readonly (ActivityEntry & { id: string })[], filter: TrailFilter): Promise<TrailPage> {
  const names = createNameResolver(client);
  const waiting = pending.filter((e) => matches(e, filter)).sort((a, b) => b.time.localeCompare(a.time));
  let serverEntries: TrailEntry[] = [];
  let total = 0;
  let serverReachable = true;
  try {
    const bundle = (await client.search('AuditEvent', trailSearch(filter), fresh())) as Bundle<AuditEvent>;
    total = bundle.total ?? bundle.entry?.length ?? 0;
    for (const item of bundle.entry ?? []) {
      const entry = item.resource && fromAuditEvent(item.resource);
      // An entry both sent and still in the outbox (a crash before "sent") shows once.
      if (entry && !waiting.some((w) => w.id === entry.id)) serverEntries.push(await viewOf(names, entry, `server:${entry.serverId}`, false));
    }
  } catch {
    serverReachable = false;
    serverEntries = [];
  }
  // Pending entries are the newest of this desktop; they lead the first page.
  const local = filter.offset === 0 ? await Promise.all(waiting.map((e) => viewOf(names, e, `local:${e.id}`, true))) : [];
  return { entries: [...local, ...serverEntries], total: total + waiting.length, pending: pending.length, serverReachable };
}
