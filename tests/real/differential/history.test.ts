/**
 * Differential: what the access timeline and the shared trail rely on. Instance history (order,
 * authors, on-behalf-of) of a Patient and of a ProjectMembership changed by two administrators;
 * `_lastUpdated` searches; AuditEvent writes, conditional creates keyed by a tag, searches; and
 * that an MSO clinician can read no AuditEvent.
 */
import type { AuditEvent, Bundle, Patient, ProjectMembership } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type SecondAdmin, inviteSecondAdmin } from '../../support/second-admin';
import type { Side, Sides } from './compare';
import { expectSameAnswer, fhirPointsLeft, onBoth, outcomeOf, send, startBothBackends } from './compare';
import type { World } from './world';
import { buildWorld } from './world';

let sides: Sides;
const worlds = new Map<string, World & { second: SecondAdmin }>();
const world = (side: Side) => worlds.get(side.kind) as World & { second: SecondAdmin };

beforeAll(async () => {
  sides = await startBothBackends({ fhirQuota: 1_000_000 });
  await onBoth(sides, async (side) => {
    const built = await buildWorld(side, { clinics: ['North', 'South'], patients: { Ann: ['North'] }, clinicians: { dana: ['North'] } });
    worlds.set(side.kind, { ...built, second: await inviteSecondAdmin(side.backend, side.admin) });
  });
}, 180_000);

afterAll(async () => {
  await sides?.stop();
});

const EXTENDED = { 'X-Medplum': 'extended' };
const TAG = 'https://mso-admin-console.app/fhir/activity-id';

function versionsOf(bundle: Bundle): { author: string; hasResource: boolean }[] {
  return (bundle.entry ?? []).map((e) => ({ author: e.resource?.meta?.author?.reference ?? '(none)', hasResource: !!e.resource }));
}

describe('differential: history and AuditEvent', () => {
  test('instance history: newest first, each version with its author, a total; _lastUpdated search finds the change', async () => {
    const answers = await onBoth(sides, async (side) => {
      const w = world(side);
      const first = side.admin.getProfile()?.id as string;
      const who = (reference: string) => (reference === `Practitioner/${first}` ? 'first' : reference === w.second.profile ? 'second' : reference);
      const before = new Date(Date.now() - 1000).toISOString();
      const patient = await side.admin.readResource('Patient', w.patients.Ann?.id as string);
      const north = `Organization/${w.clinics.North?.id}`;
      const south = `Organization/${w.clinics.South?.id}`;
      const moved = await w.second.client.updateResource<Patient>({ ...patient, meta: { accounts: [{ reference: north }, { reference: south }] } });
      // The same content again: Medplum writes no version for an update that changes nothing.
      await side.admin.updateResource<Patient>({ ...moved, meta: { accounts: [{ reference: north }, { reference: south }] } });
      await side.admin.updateResource<Patient>({ ...moved, meta: { accounts: [{ reference: south }] } });
      const history = (await send(side.admin, 'GET', `fhir/R4/Patient/${patient.id}/_history`, undefined, EXTENDED)).body as Bundle<Patient>;
      const page = (await send(side.admin, 'GET', `fhir/R4/Patient/${patient.id}/_history?_count=2`, undefined, EXTENDED)).body as Bundle<Patient>;
      const plain = (await send(side.admin, 'GET', `fhir/R4/Patient/${patient.id}/_history`)).body as Bundle<Patient>;
      const updated = (await send(side.admin, 'GET', `fhir/R4/Patient?_lastUpdated=ge${before}&_sort=-_lastUpdated`)).body as Bundle<Patient>;
      const stamps = (history.entry ?? []).map((e) => e.resource?.meta?.lastUpdated ?? '');
      return {
        type: history.type,
        total: history.total,
        authors: versionsOf(history).map((v) => who(v.author)),
        accounts: (history.entry ?? []).map((e) => w.clinicNames(e.resource?.meta?.accounts)),
        newestFirst: stamps.every((s, i) => i === 0 || s <= (stamps[i - 1] as string)),
        versionsAreDistinct: new Set((history.entry ?? []).map((e) => e.resource?.meta?.versionId)).size === (history.entry ?? []).length,
        pageSize: (page.entry ?? []).length,
        pageIsNewest: page.entry?.[0]?.resource?.meta?.versionId === history.entry?.[0]?.resource?.meta?.versionId,
        authorWithoutExtended: (plain.entry ?? []).map((e) => e.resource?.meta?.author?.reference ?? '(none)'),
        foundSince: (updated.entry ?? []).map((e) => e.resource?.id).includes(patient.id),
      };
    });
    const shared = expectSameAnswer(answers, 'patient history');
    expect(shared.authors).toEqual(['first', 'second', 'first']);
    expect(shared.accounts).toEqual([['South'], ['North', 'South'], ['North']]);
  });

  test('a membership edited over FHIR PUT and over the admin members endpoint: history with the authors', async () => {
    const answers = await onBoth(sides, async (side) => {
      const w = world(side);
      const first = side.admin.getProfile()?.id as string;
      const who = (reference: string) => (reference === `Practitioner/${first}` ? 'first' : reference === w.second.profile ? 'second' : reference);
      const membershipId = w.clinicians.dana?.membership.id as string;
      const current = await w.second.client.readResource('ProjectMembership', membershipId);
      const south = { reference: `Organization/${w.clinics.South?.id}` };
      const put = await w.second.client.updateResource<ProjectMembership>({
        ...current,
        access: [...(current.access ?? []), { policy: current.accessPolicy ?? { reference: `AccessPolicy/${side.backend.seed.msoPolicyId}` }, parameter: [{ name: 'organization', valueReference: south }] }],
      });
      const admin = await side.admin.post(`admin/projects/${side.backend.projectId}/members/${membershipId}`, { ...put, access: put.access?.slice(0, 1) });
      const history = (await send(side.admin, 'GET', `fhir/R4/ProjectMembership/${membershipId}/_history`, undefined, EXTENDED)).body as Bundle<ProjectMembership>;
      return {
        adminAnswer: (admin as ProjectMembership).resourceType,
        authors: versionsOf(history).map((v) => who(v.author)),
        accessCounts: (history.entry ?? []).map((e) => e.resource?.access?.length ?? 0),
      };
    });
    const shared = expectSameAnswer(answers, 'membership history');
    expect(shared.accessCounts.slice(0, 2)).toEqual([1, 2]);
  });

  test('AuditEvent: create, conditional create keyed by a tag (201 then 200), searches by entity, date and tag', async () => {
    const answers = await onBoth(sides, async (side) => {
      const w = world(side);
      const patient = `Patient/${w.patients.Ann?.id}`;
      const key = crypto.randomUUID();
      const event: AuditEvent = {
        resourceType: 'AuditEvent',
        meta: { tag: [{ system: TAG, code: key }] },
        type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest' },
        subtype: [{ system: 'https://mso-admin-console.app/fhir/CodeSystem/activity', code: 'patient.enroll' }],
        action: 'U',
        recorded: new Date().toISOString(),
        outcome: '0',
        agent: [{ who: { reference: `Practitioner/${side.admin.getProfile()?.id}` }, requestor: true }],
        source: { observer: { display: 'MSO Admin Console' } },
        entity: [{ what: { reference: patient } }, { what: { reference: `Organization/${w.clinics.North?.id}` }, detail: [{ type: 'add', valueString: 'Organization/x' }] }],
      };
      const ifNone = { 'If-None-Exist': `_tag=${TAG}|${key}` };
      const created = await send(side.admin, 'POST', 'fhir/R4/AuditEvent', event, ifNone);
      const again = await send(side.admin, 'POST', 'fhir/R4/AuditEvent', event, ifNone);
      const plainCreate = await send(side.admin, 'POST', 'fhir/R4/AuditEvent', { resourceType: 'AuditEvent' });
      const byEntity = (await send(side.admin, 'GET', `fhir/R4/AuditEvent?entity=${patient}&_sort=-date`)).body as Bundle<AuditEvent>;
      const byTag = (await send(side.admin, 'GET', `fhir/R4/AuditEvent?_tag=${TAG}|${key}`)).body as Bundle<AuditEvent>;
      const since = (await send(side.admin, 'GET', `fhir/R4/AuditEvent?date=ge${new Date(Date.now() - 60_000).toISOString()}&_sort=-date&_count=5`)).body as Bundle<AuditEvent>;
      const stored = byTag.entry?.[0]?.resource;
      return {
        created: created.status,
        again: again.status,
        sameId: (created.body as AuditEvent).id === (again.body as AuditEvent).id,
        invalid: outcomeOf(plainCreate),
        byEntity: (byEntity.entry ?? []).length,
        byTag: (byTag.entry ?? []).length,
        since: (since.entry ?? []).length,
        detailKept: stored?.entity?.[1]?.detail?.[0]?.valueString,
        author: stored?.meta?.author?.reference === `Practitioner/${side.admin.getProfile()?.id}`,
      };
    });
    const shared = expectSameAnswer(answers, 'AuditEvent');
    expect([shared.created, shared.again, shared.byTag]).toEqual([201, 200, 1]);
  });

  test('an MSO clinician can neither search nor read AuditEvents', async () => {
    const answers = await onBoth(sides, async (side) => {
      const w = world(side);
      const event = await side.admin.createResource<AuditEvent>({
        resourceType: 'AuditEvent',
        type: { code: 'rest' },
        recorded: new Date().toISOString(),
        agent: [{ who: { reference: `Practitioner/${side.admin.getProfile()?.id}` }, requestor: true }],
        source: { observer: { display: 'MSO Admin Console' } },
        entity: [{ what: { reference: `Patient/${w.patients.Ann?.id}` } }],
      });
      const dana = w.clinicians.dana?.client;
      if (!dana) throw new Error('no clinician');
      return {
        search: outcomeOf(await send(dana, 'GET', 'fhir/R4/AuditEvent')).status,
        read: outcomeOf(await send(dana, 'GET', `fhir/R4/AuditEvent/${event.id}`)).status,
        create: outcomeOf(await send(dana, 'POST', 'fhir/R4/AuditEvent', { ...event, id: undefined, meta: undefined })).status,
      };
    });
    const shared = expectSameAnswer(answers, 'clinician and AuditEvent');
    expect(shared.search).toBe(403);
    expect(shared.read).toBe(403);
  });

  test('what the trail and the timeline cost in quota points', async () => {
    const answers = await onBoth(sides, async (side) => {
      const w = world(side);
      const patient = `Patient/${w.patients.Ann?.id}`;
      // Points left after a 1-point read, then after the request: the request's cost.
      const cost = async (request: () => ReturnType<typeof send>) => {
        const probe = fhirPointsLeft((await send(side.admin, 'GET', `fhir/R4/${patient}`)).headers)?.remaining ?? Number.NaN;
        const after = fhirPointsLeft((await request()).headers)?.remaining ?? Number.NaN;
        return probe - after;
      };
      const key = crypto.randomUUID();
      const event = { resourceType: 'AuditEvent', meta: { tag: [{ system: TAG, code: key }] }, type: { code: 'rest' }, recorded: new Date().toISOString(), agent: [{ who: { reference: patient }, requestor: true }], source: { observer: { display: 'MSO Admin Console' } } };
      return {
        conditionalCreate: await cost(() => send(side.admin, 'POST', 'fhir/R4/AuditEvent', event, { 'If-None-Exist': `_tag=${TAG}|${key}` })),
        conditionalAgain: await cost(() => send(side.admin, 'POST', 'fhir/R4/AuditEvent', event, { 'If-None-Exist': `_tag=${TAG}|${key}` })),
        history: await cost(() => send(side.admin, 'GET', `fhir/R4/${patient}/_history?_count=1000`)),
        lastUpdatedSearch: await cost(() => send(side.admin, 'GET', `fhir/R4/Patient?_lastUpdated=ge${new Date(Date.now() - 60_000).toISOString()}&_sort=-_lastUpdated&_count=100`)),
        trailSearch: await cost(() => send(side.admin, 'GET', `fhir/R4/AuditEvent?_tag=${TAG}|${key}&_sort=-date&_count=100&_total=accurate`)),
      };
    });
    const shared = expectSameAnswer(answers, 'points');
    // Measured on 5.0.10: a trail entry costs 120 the first time (search + write) and 20 when resent.
    expect(shared).toEqual({ conditionalCreate: 120, conditionalAgain: 20, history: 10, lastUpdatedSearch: 20, trailSearch: 20 });
  });
});
