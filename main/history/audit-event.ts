/**
 * One activity entry as a FHIR AuditEvent on the project, and back. References and codes only:
 * no names, no values from records (docs/security.md). The entry's id is a meta.tag (R4's
 * AuditEvent has no identifier), so a resend is a conditional create that finds the first one.
 */
import type { AuditEvent, AuditEventEntity } from '@medplum/fhirtypes';
import { type ActivityEntry, IMPORT_ACTION } from '../engines/activity-log';

export const ENTRY_TAG_SYSTEM = 'https://mso-admin-console.app/fhir/activity-id';
/** Marks every AuditEvent the console writes, so the trail is one search. */
export const TRAIL_TAG = { system: 'https://mso-admin-console.app/fhir/trail', code: 'access-change' } as const;
/**
 * The trail code of one row of an import: the Activity list shows an import as its one entry
 * (with its counts), while undo and a record's own history still find every row.
 */
export const IMPORT_ROW_CODE = 'import-row';

/** A row of an import, as opposed to the import's own entry or a change on its own. */
export function isImportRow(entry: { importId?: string | undefined; action: string }): boolean {
  return entry.importId !== undefined && entry.action !== IMPORT_ACTION;
}
export const IMPORT_TAG_SYSTEM = 'https://mso-admin-console.app/fhir/import-id';
export const ACTION_SYSTEM = 'https://mso-admin-console.app/fhir/CodeSystem/activity';
const DETAIL = { before: 'before', after: 'after', subject: 'subject', field: 'field', undoes: 'undoes' } as const;

/** C create, U update, E execute (a repair, an install), D delete. */
function crudOf(action: string): AuditEvent['action'] {
  if (action.endsWith('.create')) return 'C';
  if (action.includes('repair') || action.startsWith('policy.') || action.startsWith('consent.')) return 'E';
  return 'U';
}

export function toAuditEvent(entry: ActivityEntry & { id: string }): AuditEvent {
  const detail: NonNullable<AuditEventEntity['detail']> = [];
  const change = entry.change;
  if (change) {
    detail.push({ type: DETAIL.subject, valueString: change.subject }, { type: DETAIL.field, valueString: change.field });
    detail.push({ type: DETAIL.before, valueString: JSON.stringify(change.before) }, { type: DETAIL.after, valueString: JSON.stringify(change.after) });
  }
  if (entry.undoes) detail.push({ type: DETAIL.undoes, valueString: entry.undoes });
  for (const [key, value] of Object.entries(entry.detail ?? {})) detail.push({ type: `detail.${key}`, valueString: JSON.stringify(value) });
  return {
    resourceType: 'AuditEvent',
    meta: {
      tag: [
        { system: TRAIL_TAG.system, code: isImportRow(entry) ? IMPORT_ROW_CODE : TRAIL_TAG.code },
        { system: ENTRY_TAG_SYSTEM, code: entry.id },
        ...(entry.importId ? [{ system: IMPORT_TAG_SYSTEM, code: entry.importId }] : []),
      ],
    },
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest', display: 'RESTful Operation' },
    subtype: [{ system: ACTION_SYSTEM, code: entry.action }],
    action: crudOf(entry.action),
    recorded: entry.time,
    // 0 success, 4 minor failure (the change was refused or failed; nothing half-done is reported as 0).
    outcome: entry.result === 'ok' ? '0' : '4',
    agent: [{ who: { reference: entry.actor }, requestor: true }],
    source: { observer: { display: 'MSO Admin Console' } },
    entity: [
      ...entry.targets.map((target, index) => ({ what: { reference: target }, ...(index === 0 && detail.length ? { detail } : {}) })),
      ...(entry.targets.length === 0 && detail.length ? [{ detail }] : []),
    ],
  };
}

function parseList(value: string | undefined): string[] {
  try {
    const parsed = JSON.parse(value ?? '[]') as unknown;
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/** Back to an activity entry; undefined for an AuditEvent the console did not write. */
export function fromAuditEvent(event: AuditEvent): (ActivityEntry & { id: string; serverId: string }) | undefined {
  const id = event.meta?.tag?.find((t) => t.system === ENTRY_TAG_SYSTEM)?.code;
  const action = event.subtype?.find((s) => s.system === ACTION_SYSTEM)?.code;
  if (!id || !action || !event.id) return undefined;
  const details = (event.entity ?? []).flatMap((e) => e.detail ?? []);
  const value = (type: string) => details.find((d) => d.type === type)?.valueString;
  const subject = value(DETAIL.subject);
  const field = value(DETAIL.field);
  const extra: Record<string, string | number | boolean> = {};
  for (const d of details) {
    if (!d.type.startsWith('detail.')) continue;
    try {
      const parsed = JSON.parse(d.valueString ?? 'null') as unknown;
      if (typeof parsed === 'string' || typeof parsed === 'number' || typeof parsed === 'boolean') extra[d.type.slice('detail.'.length)] = parsed;
    } catch {
      // A detail another tool wrote differently: left out.
    }
  }
  const importId = event.meta?.tag?.find((t) => t.system === IMPORT_TAG_SYSTEM)?.code;
  const undoes = value(DETAIL.undoes);
  return {
    id,
    serverId: event.id,
    time: event.recorded,
    actor: event.agent?.[0]?.who?.reference ?? 'unknown',
    action,
    targets: (event.entity ?? []).flatMap((e) => (e.what?.reference ? [e.what.reference] : [])),
    result: event.outcome === '0' ? 'ok' : 'failed',
    ...(Object.keys(extra).length ? { detail: extra } : {}),
    ...(subject && (field === 'accounts' || field === 'clinics')
      ? { change: { subject, field, before: parseList(value(DETAIL.before)), after: parseList(value(DETAIL.after)) } }
      : {}),
    ...(importId ? { importId } : {}),
    ...(undoes ? { undoes } : {}),
  };
}
