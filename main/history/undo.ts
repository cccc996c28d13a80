/**
 * Undo of an access change (a trail entry, a timeline line): a new change, previewed in words and
 * written with the engines' concurrency-safe writes (If-Match on the patient, on the membership).
 */
import type { AuditEvent, Bundle, Patient, ProjectMembership } from '@medplum/fhirtypes';
import type { FieldChange, UndoConflict, UndoPreview, UndoTarget } from '../../preload/api/schemas/history';
import type { ActivityEntry } from '../engines/activity-log';
import { clinicsOf } from '../engines/access-list';
import { changeClinicianClinics, clinicianMemberships, clinicsAcross } from '../engines/clinicians';
import type { EngineContext } from '../engines/engine-context';
import { fresh } from '../engines/engine-context';
import { changePatientAccounts } from '../engines/patients';
import { readPatientFromDatabase } from '../engines/patient-accounts-write';
import { toAppError } from '../engines/server-errors';
import { AppError } from '../errors/app-error';
import { accountReferences, listDelta } from './access-state';
import { fromAuditEvent } from './audit-event';
import { readVersions } from './instance-history';
import { nameChanges } from './named-changes';
import { type ClinicReachReader, clinicReachReader, reachClause } from './clinic-reach';
import { type NameResolver, createNameResolver } from './names';
import { describeChanges, formatWhen } from './sentences';
import { rawTimeline } from './timeline';
import { rawChangesOf } from './trail';
import { type UndoDelta, type UndoPlan, exactDelta, hasConflict, inverseDelta, isEmpty } from './undo-plan';

export type UndoScope = 'exact' | 'only-this-change';

/** Finds an entry of this desktop's log or outbox by its id. */
export type LocalEntryLookup = (id: string) => Promise<ActivityEntry | undefined>;

async function currentList(ctx: EngineContext, subject: string): Promise<string[]> {
  const [type, id] = subject.split('/') as [string, string];
  if (type === 'Patient') return accountReferences(await readPatientFromDatabase(ctx, id));
  if (type === 'ProjectMembership') {
    const membership = await ctx.client.readResource('ProjectMembership', id, fresh()).catch(() => undefined);
    return membership ? clinicsOf(membership) : [];
  }
  return clinicsAcross(await clinicianMemberships(ctx, id));
}

/** The clinician whose clinics an undo of `subject` changes. */
async function practitionerOf(ctx: EngineContext, subject: string): Promise<string> {
  if (subject.startsWith('Practitioner/')) return idOf(subject);
  const membership = await ctx.client.readResource('ProjectMembership', idOf(subject), fresh()).catch((err: unknown) => {
    throw toAppError(err, 'read the clinician’s sign-in');
  });
  const profile = membership.profile?.reference;
  if (!profile?.startsWith('Practitioner/')) throw new AppError('invalid_argument', 'Only a clinician’s sign-in can be undone this way.');
  return idOf(profile);
}

async function entryOf(ctx: EngineContext, trailId: string, findLocal: LocalEntryLookup): Promise<ActivityEntry> {
  const [where, id] = trailId.split(':') as ['server' | 'local', string];
  let entry: ActivityEntry | undefined;
  if (where === 'server') {
    try {
      entry = fromAuditEvent(await ctx.client.readResource('AuditEvent', id, fresh()));
    } catch (err) {
      throw toAppError(err, 'read the activity entry');
    }
  } else {
    entry = await findLocal(id);
  }
  if (!entry) throw new AppError('not_found', 'That activity entry was not found. Refresh Activity and try again.');
  return entry;
}

/** The plan of a trail entry; undefined when it is not an access change that did something. */
export async function planOfEntry(ctx: EngineContext, entry: ActivityEntry, trailId: string): Promise<UndoPlan | undefined> {
  const change = entry.change;
  if (entry.result !== 'ok' || !change) return undefined;
  const { added, removed } = listDelta(change.before, change.after);
  if (!added.length && !removed.length) return undefined;
  return { ...change, current: await currentList(ctx, change.subject), time: entry.time, undoes: trailId };
}

/** The plan of a timeline line: the version and the one before it, from the record's history. */
async function planOfVersion(ctx: EngineContext, record: string, versionId: string): Promise<UndoPlan> {
  const [type, id] = record.split('/') as ['Patient' | 'ProjectMembership', string];
  const versions = await readVersions<Patient | ProjectMembership>(ctx.client, type, id);
  const index = versions.findIndex((v) => v.versionId === versionId);
  const version = versions[index];
  const previous = versions[index + 1];
  if (!version?.resource || !previous?.resource) {
    throw new AppError('not_found', 'That version (or the one before it) is not in the record’s history, so there is nothing to put back.');
  }
  if (type === 'Patient') {
    return {
      subject: record,
      field: 'accounts',
      before: accountReferences(previous.resource as Patient),
      after: accountReferences(version.resource as Patient),
      current: await currentList(ctx, record),
      time: version.time,
    };
  }
  const membership = version.resource as ProjectMembership;
  if (!membership.profile?.reference?.startsWith('Practitioner/')) throw new AppError('invalid_argument', 'Only a clinician’s sign-in can be undone this way.');
  // The membership's own clinics: the clinician's other memberships are not this change.
  return {
    subject: record,
    field: 'clinics',
    before: clinicsOf(previous.resource as ProjectMembership),
    after: clinicsOf(membership),
    current: await currentList(ctx, record),
    time: version.time,
  };
}

export async function planOf(ctx: EngineContext, target: Exclude<UndoTarget, { importId: string }>, findLocal: LocalEntryLookup): Promise<UndoPlan> {
  if ('trailId' in target) {
    const plan = await planOfEntry(ctx, await entryOf(ctx, target.trailId, findLocal), target.trailId);
    if (!plan) throw new AppError('invalid_argument', 'This entry is not a change of access that can be undone (only enrollment, consent and assignment changes can).');
    return plan;
  }
  return planOfVersion(ctx, target.record, target.versionId);
}

/** Later changes of the record, by whom and when, for the conflict's explanation. */
async function laterChanges(ctx: EngineContext, names: NameResolver, plan: UndoPlan): Promise<string> {
  try {
    const { lines } = await rawTimeline(ctx.client, ctx.projectId, plan.subject, ctx.pageSize);
    const later = lines.filter((l) => l.version.time > plan.time && l.changes.some((c) => c.field === 'clinics' || c.field === 'consent' || c.field === 'assigned-clinicians'));
    const parts: string[] = [];
    for (const line of later.slice(0, 3)) {
      parts.push(`${(await names.name(line.version.author)).display} ${describeChanges(await nameChanges(names, line.changes))} on ${formatWhen(line.version.time)}`);
    }
    return parts.length ? ` (${parts.join('; ')})` : '';
  } catch {
    return '';
  }
}

async function conflictsOf(ctx: EngineContext, names: NameResolver, plan: UndoPlan): Promise<UndoConflict[]> {
  if (!hasConflict(plan)) return [];
  const since = await nameChanges(names, rawChangesOf({ time: plan.time, actor: '', action: '', targets: [], result: 'ok', change: { ...plan, before: plan.after, after: plan.current } }));
  return [
    {
      record: await names.name(plan.subject),
      explanation: `Since this change, someone ${describeChanges(since)}${await laterChanges(ctx, names, plan)}. Putting back exactly what was there before would undo that too, so the exact undo is refused; you can undo just this change instead.`,
    },
  ];
}

async function patientCount(ctx: EngineContext, clinic: string): Promise<number | undefined> {
  try {
    const bundle = (await ctx.client.search('Patient', { _compartment: clinic, _summary: 'count' }, fresh())) as Bundle;
    return bundle.total;
  } catch {
    return undefined;
  }
}

/**
 * The clinic's clinicians who gain or lose the patient, for the preview. The written undo's own
 * sentence leaves it out: an import's undo writes one row after another, and the preview said it.
 */
async function reachOf(reach: ClinicReachReader | undefined, ref: string, clinicsAfter: readonly string[], verb: Parameters<typeof reachClause>[1]): Promise<string> {
  return reach && ref.startsWith('Organization/') ? reachClause(await reach(ref, clinicsAfter), verb) : '';
}

async function sentenceOf(ctx: EngineContext, names: NameResolver, plan: UndoPlan, delta: UndoDelta, reach?: ClinicReachReader): Promise<string> {
  const who = (await names.name(plan.subject)).display;
  const parts: string[] = [];
  // The patient's clinics once the undo is written: a clinician of any of them still sees the patient.
  const clinicsAfter = [...plan.current.filter((r) => !delta.remove.includes(r)), ...delta.add].filter((r) => r.startsWith('Organization/'));
  for (const ref of delta.add) {
    const what = (await names.name(ref)).display;
    if (plan.field === 'clinics') {
      const count = await patientCount(ctx, ref);
      parts.push(`${who} will again see ${count === undefined ? 'the patients' : `the ${count.toLocaleString('en-US')} patient${count === 1 ? '' : 's'}`} of ${what}`);
    } else if (ref.startsWith('Consent/')) parts.push(`${who}’s consent will be recorded again`);
    else if (ref.startsWith('Practitioner/')) parts.push(`${what} will again be assigned to ${who}`);
    else parts.push(`${who} will be back in ${what}${await reachOf(reach, ref, clinicsAfter, 'will see again')}`);
  }
  for (const ref of delta.remove) {
    const what = (await names.name(ref)).display;
    if (plan.field === 'clinics') {
      const count = await patientCount(ctx, ref);
      parts.push(`${who} will no longer see ${count === undefined ? 'the patients' : `the ${count.toLocaleString('en-US')} patient${count === 1 ? '' : 's'}`} of ${what}`);
    } else if (ref.startsWith('Consent/')) parts.push(`${who}’s consent will be revoked again`);
    else if (ref.startsWith('Practitioner/')) parts.push(`${what} will no longer be assigned to ${who}`);
    else parts.push(`${who} will leave ${what}${await reachOf(reach, ref, clinicsAfter, 'will no longer see')}`);
  }
  return parts.length ? `${parts.join('; ')}.` : 'Nothing to undo: the change was already reversed.';
}

async function deltaChanges(names: NameResolver, plan: UndoPlan, delta: UndoDelta): Promise<FieldChange[]> {
  return nameChanges(names, rawChangesOf({ time: plan.time, actor: '', action: '', targets: [], result: 'ok', change: { ...plan, before: plan.current, after: [...plan.current.filter((r) => !delta.remove.includes(r)), ...delta.add] } }));
}

export async function previewPlan(ctx: EngineContext, plan: UndoPlan): Promise<UndoPreview> {
  const names = createNameResolver(ctx.client);
  const conflicts = await conflictsOf(ctx, names, plan);
  const inverse = inverseDelta(plan);
  const delta = conflicts.length ? inverse : exactDelta(plan);
  return {
    sentence: await sentenceOf(ctx, names, plan, delta, clinicReachReader(ctx)),
    changes: isEmpty(delta) ? [] : [{ record: await names.name(plan.subject), changes: await deltaChanges(names, plan, delta) }],
    conflicts,
    undoable: !isEmpty(delta),
    inverseAvailable: !isEmpty(inverse),
    kind: 'single',
    count: isEmpty(delta) ? 0 : 1,
  };
}

function idOf(reference: string): string {
  return reference.split('/')[1] as string;
}

/**
 * Writes the undo. `exact` is refused while the record conflicts (the explanation is the error);
 * `only-this-change` applies the inverse of just that change to the record as it is now.
 */
export async function applyPlan(ctx: EngineContext, plan: UndoPlan, scope: UndoScope): Promise<{ delta: UndoDelta; sentence: string }> {
  const names = createNameResolver(ctx.client);
  if (scope === 'exact' && hasConflict(plan)) {
    const [conflict] = await conflictsOf(ctx, names, plan);
    throw new AppError('conflict', conflict?.explanation ?? 'The record changed since, so the exact undo is refused.');
  }
  const delta = scope === 'exact' ? exactDelta(plan) : inverseDelta(plan);
  if (isEmpty(delta)) throw new AppError('conflict', 'Nothing to undo: this change was already reversed.');
  const sentence = await sentenceOf(ctx, names, plan, delta);
  const tagged: EngineContext = { ...ctx, activityTags: { ...ctx.activityTags, ...(plan.undoes ? { undoes: plan.undoes } : {}) } };
  if (plan.field === 'accounts') {
    await changePatientAccounts(tagged, idOf(plan.subject), delta, 'patient.undo');
  } else {
    await changeClinicianClinics(tagged, await practitionerOf(ctx, plan.subject), { enroll: delta.add.map(idOf), unenroll: delta.remove.map(idOf) });
  }
  return { delta, sentence };
}

/** Every entry of one import, from the trail and this desktop's outbox, newest first. */
export async function importEntries(ctx: EngineContext, importId: string, pending: readonly (ActivityEntry & { id: string })[]): Promise<{ entry: ActivityEntry; trailId: string }[]> {
  const found: { entry: ActivityEntry; trailId: string }[] = pending.filter((e) => e.importId === importId).map((entry) => ({ entry, trailId: `local:${entry.id}` }));
  let url: string | undefined = ctx.client.fhirSearchUrl('AuditEvent', { _tag: `https://mso-admin-console.app/fhir/import-id|${importId}`, _count: '1000', _sort: '-date' }).toString();
  while (url) {
    let bundle: Bundle<AuditEvent>;
    try {
      bundle = (await ctx.client.get(url, fresh())) as Bundle<AuditEvent>;
    } catch (err) {
      throw toAppError(err, 'read the import’s entries');
    }
    for (const item of bundle.entry ?? []) {
      const entry = item.resource && fromAuditEvent(item.resource);
      if (entry && !found.some((f) => f.entry.id === entry.id)) found.push({ entry, trailId: `server:${entry.serverId}` });
    }
    url = bundle.link?.find((l) => l.relation === 'next')?.url;
  }
  return found.sort((a, b) => b.entry.time.localeCompare(a.entry.time));
}
