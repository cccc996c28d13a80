/**
 * Differential: how writes are answered. Validation against StructureDefinitions (plain, update,
 * patch, batch and transaction entries), If-Match, batch and transaction semantics, conditional
 * creates, and which accounts a new resource gets with and without `X-Medplum: extended`.
 */
import type { Bundle, BundleEntry, Observation, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Exchange, Side, Sides } from './compare';
import { expectSameAnswer, issuesOf, namesIn, onBoth, outcomeOf, send, startBothBackends } from './compare';
import { createClinician } from '../../support/local-server';
import type { World } from './world';
import { buildWorld } from './world';

let sides: Sides;
const worlds = new Map<string, World>();
const world = (side: Side): World => worlds.get(side.kind) as World;
const EXTENDED = { 'X-Medplum': 'extended' };

beforeAll(async () => {
  sides = await startBothBackends({ fhirQuota: 1_000_000 });
  await onBoth(sides, async (side) => {
    worlds.set(side.kind, await buildWorld(side, { clinics: ['North', 'South'], patients: { Ann: ['North'] }, clinicians: {} }));
  });
}, 180_000);

afterAll(async () => {
  await sides?.stop();
});

/** Each entry of a batch/transaction response: its status code and issues (ids left out). */
function entriesOf(exchange: Exchange): { status: string; issues: string[] }[] | { status: number; issues?: string[] } {
  const bundle = exchange.body as Bundle;
  if (bundle?.resourceType !== 'Bundle') {
    return outcomeOf(exchange);
  }
  return (bundle.entry ?? []).map((entry: BundleEntry) => ({
    status: entry.response?.status?.split(' ')[0] ?? '?',
    issues: issuesOf(entry.response?.outcome).filter((issue) => issue.startsWith('error')),
  }));
}

async function patientsNamed(side: Side, family: string): Promise<number> {
  const found = await send(side.admin, 'GET', `fhir/R4/Patient?family=${family}&_count=100`);
  return namesIn(found.body as Bundle).length;
}

describe('differential: writes', () => {
  test('validation: a resource that breaks its StructureDefinition is refused with the reason, and not stored', async () => {
    const answers = await onBoth(sides, async (side) => {
      const ann = world(side).patients.Ann;
      if (!ann) throw new Error('no Ann');
      const current = (await send(side.admin, 'GET', `fhir/R4/Patient/${ann.id}`)).body as Patient;
      return {
        missingStatus: outcomeOf(await send(side.admin, 'POST', 'fhir/R4/Observation', { resourceType: 'Observation', code: { text: 'x' } })),
        badDateAndExtra: outcomeOf(
          await send(side.admin, 'POST', 'fhir/R4/Patient', { resourceType: 'Patient', birthDate: 'last spring', nickname: 'x' })
        ),
        badGender: outcomeOf(await send(side.admin, 'POST', 'fhir/R4/Patient', { resourceType: 'Patient', gender: 'robot' })),
        emptyName: outcomeOf(await send(side.admin, 'POST', 'fhir/R4/Patient', { resourceType: 'Patient', name: [{ family: '' }] })),
        unknownType: outcomeOf(await send(side.admin, 'POST', 'fhir/R4/Widget', { resourceType: 'Widget' })),
        badUpdate: outcomeOf(await send(side.admin, 'PUT', `fhir/R4/Patient/${ann.id}`, { ...current, birthDate: '31/12/1990' })),
        badPatch: outcomeOf(
          await send(side.admin, 'PATCH', `fhir/R4/Patient/${ann.id}`, [{ op: 'add', path: '/active', value: 'yes' }], {
            'Content-Type': 'application/json-patch+json',
          })
        ),
        unchanged: ((await send(side.admin, 'GET', `fhir/R4/Patient/${ann.id}`)).body as Patient).meta?.versionId === current.meta?.versionId,
      };
    });
    const shared = expectSameAnswer(answers, 'validation');
    expect(shared.missingStatus).toEqual({ status: 400, issues: ['error | structure | Missing required property | Observation.status'] });
    expect(shared.unchanged).toBe(true);
  });

  test('validation in a batch and in a transaction: each bad entry 400, the others written (no transaction-bundles feature)', async () => {
    const answers = await onBoth(sides, async (side) => {
      const entry = (family: string, extra: object = {}) => ({
        request: { method: 'POST', url: 'Patient' },
        resource: { resourceType: 'Patient', name: [{ family }], ...extra },
      });
      const batch = await send(side.admin, 'POST', 'fhir/R4', {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [entry('BatchOk'), entry('BatchBad', { birthDate: 'soon' }), { request: { method: 'GET', url: `Patient/${crypto.randomUUID()}` } }],
      });
      const transaction = await send(side.admin, 'POST', 'fhir/R4', {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [entry('TxOk'), entry('TxBad', { birthDate: 'soon' })],
      });
      return {
        batch: { status: batch.status, type: (batch.body as Bundle).type, entries: entriesOf(batch) },
        transaction: { status: transaction.status, type: (transaction.body as Bundle).type, entries: entriesOf(transaction) },
        stored: {
          BatchOk: await patientsNamed(side, 'BatchOk'),
          BatchBad: await patientsNamed(side, 'BatchBad'),
          TxOk: await patientsNamed(side, 'TxOk'),
          TxBad: await patientsNamed(side, 'TxBad'),
        },
      };
    });
    const shared = expectSameAnswer(answers, 'batch and transaction validation');
    expect(shared.stored).toEqual({ BatchOk: 1, BatchBad: 0, TxOk: 1, TxBad: 0 });
  });

  test('a transaction resolves urn:uuid references between its entries; a batch entry with a stale ifMatch is 412', async () => {
    const answers = await onBoth(sides, async (side) => {
      const patientUrn = `urn:uuid:${crypto.randomUUID()}`;
      const tx = await send(side.admin, 'POST', 'fhir/R4', {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { fullUrl: patientUrn, request: { method: 'POST', url: 'Patient' }, resource: { resourceType: 'Patient', name: [{ family: 'Linked' }] } },
          {
            request: { method: 'POST', url: 'Observation' },
            resource: { resourceType: 'Observation', status: 'final', code: { text: 'linked' }, subject: { reference: patientUrn } },
          },
        ],
      });
      const bundle = tx.body as Bundle;
      const patientId = (bundle.entry?.[0]?.resource as Patient | undefined)?.id;
      const observation = bundle.entry?.[1]?.resource as Observation | undefined;
      const patient = await side.admin.createResource<Patient>({ resourceType: 'Patient', name: [{ family: 'Matched' }] });
      const batch = await send(side.admin, 'POST', 'fhir/R4', {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [
          { request: { method: 'PUT', url: `Patient/${patient.id}`, ifMatch: 'W/"not-the-version"' }, resource: { ...patient, active: true } },
          { request: { method: 'PUT', url: `Patient/${patient.id}`, ifMatch: `W/"${patient.meta?.versionId}"` }, resource: { ...patient, active: false } },
        ],
      });
      return {
        tx: { status: tx.status, type: bundle.type, entries: entriesOf(tx) },
        linked: observation?.subject?.reference === `Patient/${patientId}`,
        batch: entriesOf(batch),
      };
    });
    const shared = expectSameAnswer(answers, 'transaction references and batch ifMatch');
    expect(shared.linked).toBe(true);
  });

  test('conditional creates in a batch are idempotent (201, then 200); two matches are a 412', async () => {
    const answers = await onBoth(sides, async (side) => {
      const conditional = (value: string) => ({
        request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=urn:diff|${value}` },
        resource: { resourceType: 'Patient', identifier: [{ system: 'urn:diff', value }], name: [{ family: `Cond${value}` }] },
      });
      const first = await send(side.admin, 'POST', 'fhir/R4', { resourceType: 'Bundle', type: 'batch', entry: [conditional('1'), conditional('2')] });
      const again = await send(side.admin, 'POST', 'fhir/R4', { resourceType: 'Bundle', type: 'batch', entry: [conditional('1'), conditional('2')] });
      // A second patient with identifier 1 makes the condition ambiguous.
      await side.admin.createResource({ resourceType: 'Patient', identifier: [{ system: 'urn:diff', value: '1' }], name: [{ family: 'Cond1' }] });
      const ambiguous = await send(side.admin, 'POST', 'fhir/R4', { resourceType: 'Bundle', type: 'batch', entry: [conditional('1')] });
      const plain = await send(side.admin, 'POST', 'fhir/R4/Patient', conditional('2').resource, { 'If-None-Exist': 'identifier=urn:diff|2' });
      return {
        first: entriesOf(first),
        again: entriesOf(again),
        ambiguous: entriesOf(ambiguous),
        plainExisting: plain.status,
        stored: await patientsNamed(side, 'Cond2'),
      };
    });
    const shared = expectSameAnswer(answers, 'conditional creates');
    expect(shared.again).toEqual([
      { status: '200', issues: [] },
      { status: '200', issues: [] },
    ]);
  });

  test('If-Match: a FHIR PUT with a stale version is 412 (Patient, ProjectMembership); the admin members endpoint ignores it', async () => {
    const answers = await onBoth(sides, async (side) => {
      const w = world(side);
      const patient = await side.admin.createResource<Patient>({ resourceType: 'Patient', name: [{ family: 'Versioned' }] });
      const stale = `W/"${patient.meta?.versionId}"`;
      const fresh = await send(side.admin, 'PUT', `fhir/R4/Patient/${patient.id}`, { ...patient, active: true }, { 'If-Match': stale });
      const staleWrite = await send(side.admin, 'PUT', `fhir/R4/Patient/${patient.id}`, { ...patient, active: false }, { 'If-Match': stale });
      const clinician = await createClinician(side.backend, side.admin, Object.values(w.clinics).slice(0, 1));
      const membership = clinician.membership;
      const staleMembership = `W/"${membership.meta?.versionId}"`;
      const m1 = await send(side.admin, 'PUT', `fhir/R4/ProjectMembership/${membership.id}`, { ...membership, access: [] }, { 'If-Match': staleMembership });
      const m2 = await send(side.admin, 'PUT', `fhir/R4/ProjectMembership/${membership.id}`, { ...membership }, { 'If-Match': staleMembership });
      const adminEndpoint = await send(side.admin, 'POST', `admin/projects/${side.backend.projectId}/members/${membership.id}`, membership, {
        'If-Match': staleMembership,
        'Content-Type': 'application/json',
      });
      return {
        fresh: fresh.status,
        stale: outcomeOf(staleWrite),
        active: ((await send(side.admin, 'GET', `fhir/R4/Patient/${patient.id}`)).body as Patient).active,
        membershipFresh: m1.status,
        membershipStale: outcomeOf(m2),
        adminEndpoint: adminEndpoint.status,
        etag: /^W\/".+"$/.test(fresh.headers.get('etag') ?? ''),
      };
    });
    const shared = expectSameAnswer(answers, 'If-Match');
    expect(shared).toMatchObject({ fresh: 200, stale: { status: 412 }, active: true, adminEndpoint: 200 });
  });

  test('accounts of an admin create: a tag-only meta inherits the patient’s clinics only without X-Medplum: extended', async () => {
    const answers = await onBoth(sides, async (side) => {
      const w = world(side);
      const ann = w.patients.Ann;
      if (!ann) throw new Error('no Ann');
      const south = { reference: `Organization/${w.clinics.South?.id}` };
      const accountsAfter = async (resource: object, headers: Record<string, string>) => {
        const made = await send(side.admin, 'POST', `fhir/R4/${(resource as { resourceType: string }).resourceType}`, resource, headers);
        const id = (made.body as { id?: string }).id;
        const back = await send(side.admin, 'GET', `fhir/R4/${(resource as { resourceType: string }).resourceType}/${id}`, undefined, EXTENDED);
        return { status: made.status, accounts: w.clinicNames((back.body as Observation).meta?.accounts) };
      };
      const observation = (meta: object) => ({
        resourceType: 'Observation',
        status: 'final',
        code: { text: 'acct' },
        subject: { reference: `Patient/${ann.id}` },
        meta,
      });
      return {
        tagOnlyPlain: await accountsAfter(observation({ tag: [{ code: 't' }] }), {}),
        tagOnlyExtended: await accountsAfter(observation({ tag: [{ code: 't' }] }), EXTENDED),
        otherClinicPlain: await accountsAfter(observation({ accounts: [south] }), {}),
        otherClinicExtended: await accountsAfter(observation({ accounts: [south] }), EXTENDED),
        noMetaPlain: await accountsAfter({ ...observation({}), meta: undefined }, {}),
        patientPlain: await accountsAfter({ resourceType: 'Patient', meta: { accounts: [south] } }, {}),
        patientExtended: await accountsAfter({ resourceType: 'Patient', meta: { accounts: [south] } }, EXTENDED),
        unlinkedPlain: await accountsAfter({ resourceType: 'Organization', name: 'Unlinked', meta: { accounts: [south] } }, {}),
      };
    });
    const shared = expectSameAnswer(answers, 'accounts on create');
    expect(shared.tagOnlyPlain.accounts).toEqual(['North']);
    expect(shared.tagOnlyExtended.accounts).toEqual([]);
  });

  test('meta visible without X-Medplum: extended: accounts yes; author, project, account, compartment no', async () => {
    const answers = await onBoth(sides, async (side) => {
      const ann = world(side).patients.Ann;
      const plain = (await send(side.admin, 'GET', `fhir/R4/Patient/${ann?.id}`)).body as Patient;
      const extended = (await send(side.admin, 'GET', `fhir/R4/Patient/${ann?.id}`, undefined, EXTENDED)).body as Patient;
      const keys = (meta: object | undefined) => Object.keys(meta ?? {}).sort();
      return { plain: keys(plain.meta), extended: keys(extended.meta) };
    });
    const shared = expectSameAnswer(answers, 'meta in plain and extended mode');
    expect(shared.plain).toEqual(['accounts', 'lastUpdated', 'versionId']);
  });
});
