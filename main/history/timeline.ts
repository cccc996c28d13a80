/**
 * The access timeline of a patient, a clinician (their memberships) or a clinic, from the
 * resources' own version history: each version diffed against the one before it, with who
 * (`meta.author`) and when, whichever tool made the change.
 */
import type { MedplumClient } from '@medplum/core';
import type { AuditEvent, Bundle, Organization, Patient, ProjectMembership, Resource } from '@medplum/fhirtypes';
import type { AccessTimeline, TimelineEntry } from '../../preload/api/schemas/history';
import { searchAll } from '../engines/all-pages';
import { fresh } from '../engines/engine-context';
import { toAppError } from '../engines/server-errors';
import { fromAuditEvent } from './audit-event';
import { isUndoable, rawChangesOf, trailSearch } from './trail';
import { nameChanges } from './named-changes';
import { type NameResolver, createNameResolver } from './names';
import { describeChanges, formatWhen, timelineSentence } from './sentences';
import { type Version, readVersions } from './instance-history';
import { type RawFieldChange, diffClinic, diffMembership, diffPatient } from './version-diff';

export interface TimelineRequest {
  readonly record: string;
  readonly count: number;
  readonly before?: string;
}

interface RawLine {
  readonly version: Version<Resource>;
  readonly resource: string;
  readonly subject: string;
  readonly changes: RawFieldChange[];
  readonly undoable: boolean;
}

/** Consecutive versions, newest first, as raw lines (changes that do not touch access are left out). */
function linesOf<T extends Resource>(
  resource: string,
  subject: string,
  versions: readonly Version<T>[],
  diff: (previous: T | undefined, next: T | undefined) => RawFieldChange[],
  undoableFields: readonly RawFieldChange['field'][]
): RawLine[] {
  const lines: RawLine[] = [];
  versions.forEach((version, index) => {
    const previous = versions[index + 1];
    const changes = diff(previous?.resource, version.resource);
    if (!changes.length) return;
    // An undo needs the version before; the first version (the record's creation) has none.
    const undoable = !!previous?.resource && !!version.resource && changes.some((c) => undoableFields.includes(c.field));
    lines.push({ version: version as Version<Resource>, resource, subject, changes, undoable });
  });
  return lines;
}

export async function rawTimeline(client: MedplumClient, projectId: string, record: string, pageSize?: number): Promise<{ lines: RawLine[]; requests: number }> {
  const [type, id] = record.split('/') as [string, string];
  if (type === 'Patient') {
    const versions = await readVersions<Patient>(client, 'Patient', id);
    return { lines: linesOf(record, record, versions, (a, b) => (b ? diffPatient(a, b) : []), ['clinics', 'consent', 'assigned-clinicians']), requests: 1 };
  }
  if (type === 'ProjectMembership') {
    // One sign-in of a clinician (an undo's conflict explanation reads it).
    const versions = await readVersions<ProjectMembership>(client, 'ProjectMembership', id);
    const subject = versions.find((v) => v.resource?.profile?.reference)?.resource?.profile?.reference ?? record;
    return { lines: linesOf(record, subject, versions, diffMembership, ['clinics']), requests: 1 };
  }
  if (type === 'Organization') {
    const versions = await readVersions<Organization>(client, 'Organization', id);
    return { lines: linesOf(record, record, versions, (a, b) => (b ? diffClinic(a, b) : []), []), requests: 1 };
  }
  // A clinician: every membership of theirs in this project, each with its own history.
  const memberships = (await searchAll(client, 'ProjectMembership', { profile: record }, 'read the clinician’s memberships', pageSize)).filter(
    (m) => m.profile?.reference === record && m.project?.reference === `Project/${projectId}`
  );
  const lines: RawLine[] = [];
  for (const membership of memberships) {
    const versions = await readVersions<ProjectMembership>(client, 'ProjectMembership', membership.id);
    lines.push(...linesOf(`ProjectMembership/${membership.id}`, record, versions, diffMembership, ['clinics']));
  }
  lines.sort((a, b) => b.version.time.localeCompare(a.version.time));
  return { lines, requests: 1 + memberships.length };
}

export async function nameLine(names: NameResolver, line: RawLine): Promise<TimelineEntry> {
  const author = await names.name(line.version.author);
  const changes = await nameChanges(names, line.changes);
  return {
    time: line.version.time,
    author,
    ...(line.version.onBehalfOf ? { onBehalfOf: await names.name(line.version.onBehalfOf) } : {}),
    resource: line.resource,
    versionId: line.version.versionId,
    subject: await names.name(line.subject),
    changes,
    sentence: timelineSentence(line.version.time, author, changes),
    undoable: line.undoable,
  };
}

export async function accessTimeline(client: MedplumClient, projectId: string, request: TimelineRequest): Promise<AccessTimeline> {
  const { lines, requests } = await rawTimeline(client, projectId, request.record);
  const older = request.before ? lines.filter((l) => l.version.time < (request.before as string)) : lines;
  const names = createNameResolver(client);
  const entries: TimelineEntry[] = [];
  for (const line of older.slice(0, request.count)) entries.push(await nameLine(names, line));
  let more = older.length > request.count;
  let searched = 0;
  if (request.record.startsWith('Organization/')) {
    // Who joined or left the clinic is not in the clinic's own history: the shared trail has it.
    const trail = await clinicTrail(client, names, request);
    searched = 1;
    entries.push(...trail.entries);
    more ||= trail.more;
    entries.sort((a, b) => b.time.localeCompare(a.time));
    more ||= entries.length > request.count;
    entries.splice(request.count);
  }
  const last = entries[entries.length - 1];
  return { entries, nextBefore: more && last ? last.time : null, requests: requests + searched + names.requests };
}

async function clinicTrail(client: MedplumClient, names: NameResolver, request: TimelineRequest): Promise<{ entries: TimelineEntry[]; more: boolean }> {
  const search = { ...trailSearch({ offset: 0, count: request.count, record: request.record }), ...(request.before ? { date: `lt${request.before}` } : {}) };
  let bundle: Bundle<AuditEvent>;
  try {
    bundle = (await client.search('AuditEvent', search, fresh())) as Bundle<AuditEvent>;
  } catch (err) {
    throw toAppError(err, 'read the clinic’s activity');
  }
  const entries: TimelineEntry[] = [];
  for (const item of bundle.entry ?? []) {
    const entry = item.resource && fromAuditEvent(item.resource);
    if (!entry?.change || entry.result !== 'ok') continue;
    const changes = await nameChanges(names, rawChangesOf(entry));
    if (!changes.length) continue;
    const author = await names.name(entry.actor);
    const subject = await names.name(entry.change.subject);
    entries.push({
      time: entry.time,
      author,
      resource: entry.change.subject,
      versionId: '',
      subject,
      changes,
      sentence: `${formatWhen(entry.time)} · ${author.display} ${describeChanges(changes)} for ${subject.display}`,
      undoable: isUndoable(entry),
      trailId: `server:${entry.serverId}`,
    });
  }
  return { entries, more: (bundle.total ?? 0) > (bundle.entry?.length ?? 0) };
}
