/**
 * Differential: who sees what. Clinic isolation, membership changes on live tokens,
 * `$set-accounts` (with and without propagate), `Patient/$everything`, and
 * `X-Medplum-On-Behalf-Of`, run alike on the local server and a real Medplum.
 */
import type { Bundle, Observation, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Sides } from './compare';
import { expectSameAnswer, nameOf, onBoth, outcomeOf, send, startBothBackends } from './compare';
import type { World } from './world';
import { buildWorld, setClinicsOf, visibleObservations, visiblePatients } from './world';

let sides: Sides;
const worlds = new Map<string, World>();
const world = (kind: string): World => worlds.get(kind) as World;

beforeAll(async () => {
  sides = await startBothBackends({ fhirQuota: 1_000_000 });
  await onBoth(sides, async (side) => {
    worlds.set(
      side.kind,
      await buildWorld(side, {
        clinics: ['North', 'South', 'East'],
        patients: { Ann: ['North'], Bob: ['South'], Cyd: ['North', 'South'], Dee: ['East'], Eve: ['East'] },
        clinicians: { dana: ['North'], erin: ['South'], finn: ['North', 'South'], gus: ['East'] },
      })
    );
  });
}, 180_000);

afterAll(async () => {
  await sides?.stop();
});

describe('differential: isolation and membership', () => {
  test('each clinician finds exactly their clinics’ patients and records; other clinics read 404', async () => {
    const answers = await onBoth(sides, async (side) => {
      const w = world(side.kind);
      const result: Record<string, unknown> = {};
      for (const [key, clinician] of Object.entries(w.clinicians)) {
        result[key] = {
          patients: await visiblePatients(clinician.client),
          observations: await visibleObservations(clinician.client),
          readBob: (await send(clinician.client, 'GET', `fhir/R4/Patient/${w.patients.Bob?.id}`)).status,
          clinics: (await visibleClinics(clinician.client)).length,
        };
      }
      return result;
    });
    const shared = expectSameAnswer(answers, 'visibility per clinician');
    expect(shared.dana).toMatchObject({ patients: ['Ann', 'Cyd'], readBob: 404 });
    expect(shared.finn).toMatchObject({ patients: ['Ann', 'Bob', 'Cyd'], readBob: 200 });
  });

  test('a membership change applies at once to the token already issued, both ways', async () => {
    const answers = await onBoth(sides, async (side) => {
      const w = world(side.kind);
      const gus = w.clinicians.gus?.client;
      if (!gus) throw new Error('no gus');
      const before = await visiblePatients(gus);
      await setClinicsOf(w, 'gus', ['East', 'South']);
      const widened = await visiblePatients(gus);
      await setClinicsOf(w, 'gus', []);
      const none = await visiblePatients(gus);
      await setClinicsOf(w, 'gus', ['East']);
      const back = await visiblePatients(gus);
      return { before, widened, none, back };
    });
    const shared = expectSameAnswer(answers, 'live membership changes');
    expect(shared).toEqual({ before: ['Dee', 'Eve'], widened: ['Bob', 'Cyd', 'Dee', 'Eve'], none: [], back: ['Dee', 'Eve'] });
  });

  test('$set-accounts with propagate moves the patient and its records; without it the records stay behind', async () => {
    const answers = await onBoth(sides, async (side) => {
      const w = world(side.kind);
      const { admin } = side;
      const move = async (family: string, to: string[], propagate: boolean) => {
        const parameter = [
          ...to.map((name) => ({ name: 'accounts', valueReference: { reference: `Organization/${w.clinics[name]?.id}` } })),
          { name: 'propagate', valueBoolean: propagate },
        ];
        const result = await send(admin, 'POST', `fhir/R4/Patient/${w.patients[family]?.id}/$set-accounts`, {
          resourceType: 'Parameters',
          parameter,
        });
        const body = result.body as { parameter?: { name: string; valueInteger?: number }[] };
        return { status: result.status, updated: body.parameter?.find((p) => p.name === 'resourcesUpdated')?.valueInteger };
      };
      const recordOf = async (family: string) => {
        const found = await admin.searchResources('Observation', { subject: `Patient/${w.patients[family]?.id}` }, {
          cache: 'no-cache',
        } as RequestInit);
        return w.clinicNames(found[0]?.meta?.accounts);
      };
      const dana = w.clinicians.dana?.client;
      const erin = w.clinicians.erin?.client;
      if (!dana || !erin) throw new Error('clinicians missing');
      const propagated = await move('Ann', ['South'], true);
      const afterPropagate = {
        record: await recordOf('Ann'),
        dana: { patients: await visiblePatients(dana), observations: await visibleObservations(dana) },
        erin: { patients: await visiblePatients(erin), observations: await visibleObservations(erin) },
      };
      const unpropagated = await move('Eve', ['North'], false);
      const afterPlain = {
        patient: w.clinicNames((await admin.readResource('Patient', w.patients.Eve?.id ?? '', { cache: 'no-cache' } as RequestInit)).meta?.accounts),
        record: await recordOf('Eve'),
        dana: { patients: await visiblePatients(dana), observations: await visibleObservations(dana) },
      };
      // Then with propagate: only the difference (East → North was never applied to the record) is carried.
      const repaired = await move('Eve', ['South'], true);
      const afterRepair = { record: await recordOf('Eve') };
      return { propagated, afterPropagate, unpropagated, afterPlain, repaired, afterRepair };
    });
    const shared = expectSameAnswer(answers, '$set-accounts');
    expect(shared.afterPropagate.record).toEqual(['South']);
    expect(shared.afterPlain.record).toEqual(['East']);
  });

  test('Patient/$everything: a clinician gets 403 (the policy cannot search every compartment type); the admin the patient, records and clinics', async () => {
    const answers = await onBoth(sides, async (side) => {
      const w = world(side.kind);
      const dana = w.clinicians.dana?.client;
      if (!dana) throw new Error('no dana');
      const own = await send(dana, 'GET', `fhir/R4/Patient/${w.patients.Cyd?.id}/$everything`);
      const other = await send(dana, 'GET', `fhir/R4/Patient/${w.patients.Dee?.id}/$everything`);
      const asAdmin = await send(side.admin, 'GET', `fhir/R4/Patient/${w.patients.Cyd?.id}/$everything`);
      const missing = await send(side.admin, 'GET', `fhir/R4/Patient/${crypto.randomUUID()}/$everything`);
      const extended = await send(side.admin, 'GET', `fhir/R4/Patient/${w.patients.Cyd?.id}/$everything`, undefined, { 'X-Medplum': 'extended' });
      const bundle = asAdmin.body as Bundle;
      return {
        own: outcomeOf(own),
        other: outcomeOf(other),
        admin: {
          status: asAdmin.status,
          type: bundle.type,
          entries: (bundle.entry ?? []).map((e) => `${e.search?.mode}:${nameOf(e.resource)}`).sort(),
        },
        missing: outcomeOf(missing),
        extended: ((extended.body as Bundle).entry ?? []).map((e) => `${e.search?.mode}:${nameOf(e.resource)}`).sort(),
      };
    });
    const shared = expectSameAnswer(answers, '$everything');
    expect(shared.own.status).toBe(403);
    expect(shared.admin.entries).toEqual(['include:North', 'include:South', 'match:Cyd', 'match:Observation:Cyd']);
  });

  test('X-Medplum-On-Behalf-Of runs an admin request as the membership (by id or by profile); others may not use it', async () => {
    const answers = await onBoth(sides, async (side) => {
      const w = world(side.kind);
      const finn = w.clinicians.finn;
      const dana = w.clinicians.dana;
      if (!finn || !dana) throw new Error('clinicians missing');
      const byMembership = { 'X-Medplum-On-Behalf-Of': `ProjectMembership/${dana.membership.id}` };
      const byProfile = { 'X-Medplum-On-Behalf-Of': dana.membership.profile?.reference ?? '' };
      const created = await send(
        side.admin,
        'POST',
        'fhir/R4/Observation',
        { resourceType: 'Observation', status: 'final', code: { text: 'made as dana' } },
        { ...byMembership, 'X-Medplum': 'extended' }
      );
      const made = created.body as Observation;
      return {
        asDanaById: await visiblePatients(side.admin, byMembership),
        asDanaByProfile: await visiblePatients(side.admin, byProfile),
        asFinnObservations: await visibleObservations(side.admin, { 'X-Medplum-On-Behalf-Of': `ProjectMembership/${finn.membership.id}` }),
        readAsDana: (await send(side.admin, 'GET', `fhir/R4/Patient/${w.patients.Dee?.id}`, undefined, byMembership)).status,
        membershipsAsDana: (await send(side.admin, 'GET', 'fhir/R4/ProjectMembership', undefined, byMembership)).status,
        adminItself: await visiblePatients(side.admin),
        byClinician: outcomeOf(await send(finn.client, 'GET', 'fhir/R4/Patient', undefined, byMembership)),
        unknownMembership: outcomeOf(
          await send(side.admin, 'GET', 'fhir/R4/Patient', undefined, { 'X-Medplum-On-Behalf-Of': `ProjectMembership/${crypto.randomUUID()}` })
        ),
        unknownProfile: outcomeOf(
          await send(side.admin, 'GET', 'fhir/R4/Patient', undefined, { 'X-Medplum-On-Behalf-Of': `Practitioner/${crypto.randomUUID()}` })
        ),
        created: {
          status: created.status,
          accounts: w.clinicNames(made.meta?.accounts),
          authorIsAdmin: made.meta?.author?.reference === `Practitioner/${side.admin.getProfile()?.id}`,
          onBehalfOfDana: made.meta?.onBehalfOf?.reference === dana.membership.profile?.reference,
        },
      };
    });
    const shared = expectSameAnswer(answers, 'on behalf of');
    expect(shared.asDanaById).toEqual(shared.asDanaByProfile);
    expect(shared.created).toEqual({ status: 201, accounts: ['North'], authorIsAdmin: true, onBehalfOfDana: true });
  });

  test('removing a membership (admin DELETE members/:id) stops its token at once', async () => {
    const answers = await onBoth(sides, async (side) => {
      const gus = world(side.kind).clinicians.gus;
      if (!gus) throw new Error('no gus');
      const before = (await send(gus.client, 'GET', 'fhir/R4/Patient')).status;
      const removed = await send(side.admin, 'DELETE', `admin/projects/${side.backend.projectId}/members/${gus.membership.id}`);
      const after = await send(gus.client, 'GET', 'fhir/R4/Patient');
      return {
        before,
        removed: removed.status,
        after: outcomeOf(after).status,
        membershipRead: (await send(side.admin, 'GET', `fhir/R4/ProjectMembership/${gus.membership.id}`)).status,
      };
    });
    const shared = expectSameAnswer(answers, 'membership removal');
    expect(shared.before).toBe(200);
  });
});

async function visibleClinics(client: Parameters<typeof send>[0]): Promise<Resource[]> {
  const found = await send(client, 'GET', 'fhir/R4/Organization?_count=100');
  return ((found.body as Bundle).entry ?? []).map((e) => e.resource as Resource);
}
