/**
 * Differential: the FHIR quota. The points each kind of interaction costs (read from the
 * `RateLimit: "fhirInteractions";r=…;t=…` header before and after), and what a spent quota
 * answers: 429 for plain requests and for the rest of a batch. The quota is lowered on purpose.
 */
import type { MedplumClient } from '@medplum/core';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestClinician } from '../../support/local-server';
import { createClinic, createClinician } from '../../support/local-server';
import type { Exchange, Side, Sides } from './compare';
import { expectSameAnswer, fhirPointsLeft, issuesOf, onBoth, outcomeOf, send, startBothBackends } from './compare';

let sides: Sides;
const clinicians = new Map<string, TestClinician>();
const patients = new Map<string, Patient>();

beforeAll(async () => {
  sides = await startBothBackends({ fhirQuota: 1_000_000 });
  await onBoth(sides, async (side) => {
    const clinic = await createClinic(side.admin, 'North');
    patients.set(
      side.kind,
      await side.admin.createResource<Patient>({
        resourceType: 'Patient',
        meta: { accounts: [{ reference: `Organization/${clinic.id}` }] },
        name: [{ family: 'Quota' }],
      })
    );
    await side.admin.createResource({
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'q' },
      subject: { reference: `Patient/${patients.get(side.kind)?.id}` },
    });
    clinicians.set(side.kind, await createClinician(side.backend, side.admin, [clinic]));
  });
}, 180_000);

afterAll(async () => {
  await sides?.stop();
});

/** Points left after a cheap probe request (a read of the patient, 1 point). */
async function pointsNow(client: MedplumClient, side: Side): Promise<number> {
  const probe = await send(client, 'GET', `fhir/R4/Patient/${patients.get(side.kind)?.id}`);
  const left = fhirPointsLeft(probe.headers);
  if (!left) {
    throw new Error(`${side.kind}: no fhirInteractions RateLimit header (${probe.headers.get('ratelimit')})`);
  }
  return left.remaining;
}

/** What one request costs: points before minus points after, less the probe's own point. */
async function costOf(client: MedplumClient, side: Side, request: () => Promise<Exchange>): Promise<{ status: number; points: number }> {
  const before = await pointsNow(client, side);
  const exchange = await request();
  const after = fhirPointsLeft(exchange.headers)?.remaining;
  return { status: exchange.status, points: after === undefined ? Number.NaN : before - after };
}

describe('differential: FHIR quota', () => {
  test('points per interaction, as the RateLimit header counts them', async () => {
    const answers = await onBoth(sides, async (side) => {
      const admin = side.admin;
      const patient = patients.get(side.kind) as Patient;
      const create = (family: string) => ({ resourceType: 'Patient', name: [{ family }] });
      const entries = (n: number, conditional: boolean) =>
        Array.from({ length: n }, (_, i) => ({
          request: { method: 'POST', url: 'Patient', ...(conditional ? { ifNoneExist: `identifier=urn:q|${side.kind}${i}` } : {}) },
          resource: { resourceType: 'Patient', identifier: [{ system: 'urn:q', value: `${side.kind}${i}` }] },
        }));
      return {
        read: await costOf(admin, side, () => send(admin, 'GET', `fhir/R4/Patient/${patient.id}`)),
        search: await costOf(admin, side, () => send(admin, 'GET', 'fhir/R4/Patient?_count=5')),
        searchWithTotal: await costOf(admin, side, () => send(admin, 'GET', 'fhir/R4/Patient?_count=5&_total=accurate')),
        create: await costOf(admin, side, () => send(admin, 'POST', 'fhir/R4/Patient', create('Costly'))),
        invalidCreate: await costOf(admin, side, () => send(admin, 'POST', 'fhir/R4/Patient', { resourceType: 'Patient', gender: 7 })),
        history: await costOf(admin, side, () => send(admin, 'GET', `fhir/R4/Patient/${patient.id}/_history`)),
        vread: await costOf(admin, side, () => send(admin, 'GET', `fhir/R4/Patient/${patient.id}/_history/${patient.meta?.versionId}`)),
        batchOf5: await costOf(admin, side, () =>
          send(admin, 'POST', 'fhir/R4', { resourceType: 'Bundle', type: 'batch', entry: entries(5, false) })
        ),
        conditionalBatchOf5: await costOf(admin, side, () =>
          send(admin, 'POST', 'fhir/R4', { resourceType: 'Bundle', type: 'batch', entry: entries(5, true) })
        ),
        conditionalAgain: await costOf(admin, side, () =>
          send(admin, 'POST', 'fhir/R4', { resourceType: 'Bundle', type: 'batch', entry: entries(5, true) })
        ),
        setAccounts: await costOf(admin, side, () =>
          send(admin, 'POST', `fhir/R4/Patient/${patient.id}/$set-accounts`, {
            resourceType: 'Parameters',
            parameter: [...(patient.meta?.accounts ?? []).map((a) => ({ name: 'accounts', valueReference: a })), { name: 'propagate', valueBoolean: true }],
          })
        ),
        everything: await costOf(admin, side, () => send(admin, 'GET', `fhir/R4/Patient/${patient.id}/$everything`)),
      };
    });
    const shared = expectSameAnswer(answers, 'points per interaction');
    expect(shared.read).toEqual({ status: 200, points: 1 });
    expect(shared.create).toEqual({ status: 201, points: 100 });
  });

  test('the quota is per membership; a request on behalf of a clinician is charged to the admin', async () => {
    const answers = await onBoth(sides, async (side) => {
      const clinician = clinicians.get(side.kind) as TestClinician;
      const adminBefore = await pointsNow(side.admin, side);
      const clinicianBefore = await pointsNow(clinician.client, side);
      await send(side.admin, 'GET', 'fhir/R4/Patient?_count=5', undefined, {
        'X-Medplum-On-Behalf-Of': `ProjectMembership/${clinician.membership.id}`,
      });
      return {
        admin: adminBefore - (await pointsNow(side.admin, side)),
        clinician: clinicianBefore - (await pointsNow(clinician.client, side)),
      };
    });
    const shared = expectSameAnswer(answers, 'who pays');
    expect(shared).toEqual({ admin: 21, clinician: 1 });
  });

  test('a spent quota: 429 throttled with RateLimit r=0, the rest of a batch refused, nothing more written', async () => {
    const answers = await onBoth(sides, async (side) => {
      const admin = side.admin;
      const { backend } = side;
      await backend.setFhirQuota(1_000_000);
      const start = await pointsNow(admin, side);
      // Leave about 350 points this minute: three creates, then refusals.
      await backend.setFhirQuota(1_000_000 - start + 350);
      const left = await pointsNow(admin, side);
      const batch = await send(admin, 'POST', 'fhir/R4', {
        resourceType: 'Bundle',
        type: 'batch',
        entry: Array.from({ length: 6 }, (_, i) => ({
          request: { method: 'POST', url: 'Patient' },
          resource: { resourceType: 'Patient', name: [{ family: `Throttled${i}` }] },
        })),
      });
      const plain = await send(admin, 'POST', 'fhir/R4/Patient', { resourceType: 'Patient', name: [{ family: 'ThrottledPlain' }] });
      const read = await send(admin, 'GET', `fhir/R4/Patient/${patients.get(side.kind)?.id}`);
      const header = fhirPointsLeft(plain.headers);
      await backend.setFhirQuota(1_000_000);
      const count = await send(admin, 'GET', 'fhir/R4/Patient?name=Throttled&_summary=count');
      return {
        leftBefore: left <= 350 && left > 300,
        batch: {
          status: batch.status,
          entries: ((batch.body as Bundle).entry ?? []).map((e) => `${e.response?.status?.split(' ')[0]} ${issuesOf(e.response?.outcome)[0] ?? ''}`.trim()),
        },
        plain: outcomeOf(plain),
        read: read.status,
        header: header ? { remaining: header.remaining, resetWithinAMinute: header.resetSeconds > 0 && header.resetSeconds <= 60 } : 'none',
        policyHeader: plain.headers.has('ratelimit-policy'),
        retryAfter: plain.headers.has('retry-after'),
        written: (count.body as Bundle).total,
      };
    });
    const shared = expectSameAnswer(answers, 'spent quota');
    expect(shared.plain.status).toBe(429);
    expect(shared.written).toBe(3);
  });
});
