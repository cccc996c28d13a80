/**
 * Differential: the rest of the REST surface the console leans on. Deletes and what reads say
 * afterwards, history at each level, conditional updates, identifier look-ups OR-ed in one
 * search, and what a clinician's own writes belong to.
 */
import type { Bundle, Observation, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Side, Sides } from './compare';
import { expectSameAnswer, namesIn, onBoth, outcomeOf, send, startBothBackends } from './compare';
import type { World } from './world';
import { buildWorld } from './world';

let sides: Sides;
const worlds = new Map<string, World>();
const world = (side: Side): World => worlds.get(side.kind) as World;

beforeAll(async () => {
  sides = await startBothBackends({ fhirQuota: 1_000_000 });
  await onBoth(sides, async (side) => {
    worlds.set(
      side.kind,
      await buildWorld(side, {
        clinics: ['North', 'South'],
        patients: { Ann: ['North'], Bob: ['South'] },
        clinicians: { dana: ['North'], multi: ['South', 'North'] },
      })
    );
  });
}, 180_000);

afterAll(async () => {
  await sides?.stop();
});

describe('differential: REST', () => {
  test('delete, then read, vread, history and search; history at type and system level', async () => {
    const answers = await onBoth(sides, async (side) => {
      const { admin } = side;
      const patient = await admin.createResource<Patient>({ resourceType: 'Patient', name: [{ family: 'Doomed' }] });
      await admin.updateResource<Patient>({ ...patient, active: true });
      const history = await send(admin, 'GET', `fhir/R4/Patient/${patient.id}/_history`);
      const deleted = await send(admin, 'DELETE', `fhir/R4/Patient/${patient.id}`);
      return {
        historyBefore: ((history.body as Bundle).entry ?? []).length,
        delete: deleted.status,
        read: outcomeOf(await send(admin, 'GET', `fhir/R4/Patient/${patient.id}`)).status,
        vread: outcomeOf(await send(admin, 'GET', `fhir/R4/Patient/${patient.id}/_history/${patient.meta?.versionId}`)).status,
        historyAfter: (await send(admin, 'GET', `fhir/R4/Patient/${patient.id}/_history`)).status,
        search: namesIn((await send(admin, 'GET', 'fhir/R4/Patient?family=Doomed')).body as Bundle),
        deleteAgain: (await send(admin, 'DELETE', `fhir/R4/Patient/${patient.id}`)).status,
        deleteMissing: (await send(admin, 'DELETE', `fhir/R4/Patient/${crypto.randomUUID()}`)).status,
        typeHistory: (await send(admin, 'GET', 'fhir/R4/Patient/_history')).status,
        systemHistory: (await send(admin, 'GET', 'fhir/R4/_history')).status,
        notAnId: (await send(admin, 'GET', 'fhir/R4/Patient/not-a-uuid')).status,
      };
    });
    const shared = expectSameAnswer(answers, 'delete and history');
    expect(shared.historyBefore).toBe(2);
  });

  test('conditional update creates once, then updates; identifiers OR-ed in one search find them all', async () => {
    const answers = await onBoth(sides, async (side) => {
      const { admin } = side;
      const put = (value: string, family: string) =>
        send(admin, 'PUT', `fhir/R4/Patient?identifier=urn:rest|${value}`, {
          resourceType: 'Patient',
          identifier: [{ system: 'urn:rest', value }],
          name: [{ family }],
        });
      const created = await put('a', 'CondA');
      const updated = await put('a', 'CondA2');
      await put('b', 'CondB');
      const both = await send(admin, 'GET', 'fhir/R4/Patient?identifier=urn:rest|a,urn:rest|b,urn:rest|zzz');
      return {
        created: created.status,
        updated: updated.status,
        found: namesIn(both.body as Bundle),
        noMatchSystem: namesIn((await send(admin, 'GET', 'fhir/R4/Patient?identifier=urn:other|a')).body as Bundle),
      };
    });
    const shared = expectSameAnswer(answers, 'conditional update and identifier search');
    expect(shared.found).toEqual(['CondA2', 'CondB']);
  });

  test('a clinician’s writes: on their patient, on another clinic’s patient (both clinics), several clinics (the last access entry)', async () => {
    const answers = await onBoth(sides, async (side) => {
      const w = world(side);
      const dana = w.clinicians.dana?.client;
      const multi = w.clinicians.multi?.client;
      if (!dana || !multi) throw new Error('clinicians missing');
      const observe = async (client: typeof dana, family: string) => {
        const made = await send(client, 'POST', 'fhir/R4/Observation', {
          resourceType: 'Observation',
          status: 'final',
          code: { text: `by clinician on ${family}` },
          subject: { reference: `Patient/${w.patients[family]?.id}` },
        });
        if (made.status !== 201) {
          return outcomeOf(made);
        }
        const stored = (await send(side.admin, 'GET', `fhir/R4/Observation/${(made.body as Observation).id}`, undefined, { 'X-Medplum': 'extended' }))
          .body as Observation;
        return { status: made.status, accounts: w.clinicNames(stored.meta?.accounts) };
      };
      const unlinked = await send(multi, 'POST', 'fhir/R4/Observation', { resourceType: 'Observation', status: 'final', code: { text: 'unlinked' } });
      const unlinkedStored = (await send(side.admin, 'GET', `fhir/R4/Observation/${(unlinked.body as Observation).id}`, undefined, { 'X-Medplum': 'extended' }))
        .body as Observation;
      const ann = w.patients.Ann as Patient;
      return {
        onOwn: await observe(dana, 'Ann'),
        onOther: await observe(dana, 'Bob'),
        multiUnlinked: { status: unlinked.status, accounts: w.clinicNames(unlinkedStored.meta?.accounts) },
        editOtherClinic: outcomeOf(await send(dana, 'PUT', `fhir/R4/Patient/${w.patients.Bob?.id}`, { ...w.patients.Bob, active: true })),
        setAccountsByClinician: outcomeOf(
          await send(dana, 'POST', `fhir/R4/Patient/${ann.id}/$set-accounts`, {
            resourceType: 'Parameters',
            parameter: [{ name: 'accounts', valueReference: { reference: `Organization/${w.clinics.South?.id}` } }],
          })
        ).status,
        readPolicy: (await send(dana, 'GET', 'fhir/R4/AccessPolicy')).status,
        readMemberships: (await send(dana, 'GET', 'fhir/R4/ProjectMembership')).status,
        readClinics: namesIn((await send(dana, 'GET', 'fhir/R4/Organization')).body as Bundle),
      };
    });
    const shared = expectSameAnswer(answers, 'clinician writes');
    expect(shared.onOther).toMatchObject({ status: 201, accounts: ['North', 'South'] });
  });
});
