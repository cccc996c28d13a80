/**
 * Issue 9: clinics changed at once on one patient, as two or three administrators (or a bulk job
 * and a screen) would, each through their own MedplumClient. On a real Medplum `$set-accounts`
 * overwrites `meta.accounts` without a version check; the engine must still keep every call's
 * change, and leave the patient's records with exactly the patient's accounts.
 * Runs on whichever tier is selected (`npm run test:real`: a real Medplum; otherwise the local server).
 */
import type { MedplumClient, WithId } from '@medplum/core';
import type { Bundle, Encounter, Observation, Organization, Patient, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { EngineContext } from '../../main/engines/engine-context';
import { changePatientClinics, clinicsOfPatient, createPatient, enrollPatient, unenrollPatient } from '../../main/engines/patients';
import type { TestBackend } from '../support/backend';
import { backendKind, startTestBackend } from '../support/backend';
import { engineContext } from '../support/engine';
import { createClinic, signInAsAdmin } from '../support/local-server';

const PAIRS = 50;
const TRIPLES = 50;
const MIXED = 20;
/** Patients whose changes run at the same time (each patient's own calls always overlap). */
const PATIENTS_IN_FLIGHT = Number(process.env.PATIENTS_IN_FLIGHT ?? 4);
const FRESH = { cache: 'no-cache' } as RequestInit;
/** Points a minute: every call below runs as the same admin membership, so raise its quota. */
const QUOTA = 5_000_000;

let backend: TestBackend;
/** One admin context per "administrator": separate sign-ins, separate MedplumClients. */
let admins: EngineContext[];
let clinics: WithId<Organization>[];
let n = 0;

beforeAll(async () => {
  backend = await startTestBackend();
  await backend.setFhirQuota(QUOTA);
  const clients = await Promise.all([1, 2, 3].map(() => signInAsAdmin(backend)));
  admins = clients.map((client) => engineContext(backend, client));
  clinics = await Promise.all([0, 1, 2, 3].map((i) => createClinic(clients[0] as MedplumClient, `Concurrency ${i}`)));
}, 120_000);

afterAll(async () => {
  await backend?.stop();
});

function clinic(i: number): WithId<Organization> {
  return clinics[i] as WithId<Organization>;
}

function ref(org: WithId<Organization>): string {
  return `Organization/${org.id}`;
}

function admin(i: number): EngineContext {
  return admins[i] as EngineContext;
}

/** A patient in the given clinics with two Observations and an Encounter (which inherit its accounts). */
async function patientWithRecords(initial: readonly WithId<Organization>[]): Promise<WithId<Patient>> {
  const ctx = admin(0);
  const i = ++n;
  const patient = await createPatient(ctx, {
    given: 'Race',
    family: `Case${i}`,
    birthDate: '1970-01-01',
    gender: 'other',
    mrn: `RACE-${i}-${Date.now()}`,
    clinicIds: initial.map((c) => c.id),
  });
  const subject = { reference: `Patient/${patient.id}` };
  const records: Resource[] = [
    { resourceType: 'Observation', status: 'final', code: { text: 'Pulse' }, subject, valueQuantity: { value: 60, unit: '/min' } } satisfies Observation,
    { resourceType: 'Observation', status: 'final', code: { text: 'Pulse' }, subject, valueQuantity: { value: 61, unit: '/min' } } satisfies Observation,
    { resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, subject } satisfies Encounter,
  ];
  const result = await ctx.client.executeBatch({
    resourceType: 'Bundle',
    type: 'batch',
    entry: records.map((resource) => ({ resource, request: { method: 'POST', url: resource.resourceType } })),
  });
  expect((result.entry ?? []).map((e) => e.response?.status)).toEqual(['201', '201', '201']);
  return patient;
}

function accountRefs(resource: Resource): string[] {
  return (resource.meta?.accounts ?? []).map((a) => a.reference ?? '').sort();
}

interface Outcome {
  /** Calls that failed (told the administrator so): not silent, but not the change asked for either. */
  readonly failedCalls: string[];
  /** Clinics that should be on the patient and are not, or should not and are. */
  readonly wrongClinics: string[];
  /** Records whose accounts differ from the patient's. */
  readonly driftedRecords: number;
}

async function outcomeOf(patientId: string, expected: readonly string[], failedCalls: string[]): Promise<Outcome> {
  const client = admin(0).client;
  const patient = await client.readResource('Patient', patientId, FRESH);
  const clinicsNow = clinicsOfPatient(patient).sort();
  const want = [...expected].sort();
  const wrongClinics = [...want.filter((c) => !clinicsNow.includes(c)), ...clinicsNow.filter((c) => !want.includes(c))];
  const patientAccounts = accountRefs(patient);
  let driftedRecords = 0;
  for (const type of ['Observation', 'Encounter'] as const) {
    const bundle: Bundle = await client.search(type, { subject: `Patient/${patientId}`, _count: '100' }, FRESH);
    for (const entry of bundle.entry ?? []) {
      if (JSON.stringify(accountRefs(entry.resource as Resource)) !== JSON.stringify(patientAccounts)) {
        driftedRecords++;
      }
    }
  }
  return { failedCalls, wrongClinics, driftedRecords };
}

/**
 * Makes `count` patients one after another (concurrent conditional creates of different patients
 * can fail with 409 on a real Medplum, which is not what this file tests), then runs `race` on
 * them, `PATIENTS_IN_FLIGHT` patients at a time.
 */
async function runCases(
  count: number,
  initial: readonly WithId<Organization>[],
  race: (patient: WithId<Patient>) => { calls: Promise<unknown>[]; expected: readonly string[] }
): Promise<Outcome[]> {
  const patients: WithId<Patient>[] = [];
  for (let i = 0; i < count; i++) {
    patients.push(await patientWithRecords(initial));
  }
  const outcomes: Outcome[] = [];
  const queue = [...patients];
  const lanes = Array.from({ length: Math.min(PATIENTS_IN_FLIGHT, count) }, async () => {
    for (let patient = queue.shift(); patient; patient = queue.shift()) {
      const { calls, expected } = race(patient);
      const settled = await Promise.allSettled(calls);
      const failed = settled.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as { code?: string }).code ?? r.reason)] : []));
      outcomes.push(await outcomeOf(patient.id, expected, failed));
    }
  });
  await Promise.all(lanes);
  return outcomes;
}

function summary(outcomes: readonly Outcome[]): { cases: number; failedCalls: string[]; lostOrWrong: number; withDriftedRecords: number } {
  const result = {
    cases: outcomes.length,
    failedCalls: outcomes.flatMap((o) => o.failedCalls),
    lostOrWrong: outcomes.filter((o) => o.wrongClinics.length > 0).length,
    withDriftedRecords: outcomes.filter((o) => o.driftedRecords > 0).length,
  };
  console.info(`[${backendKind()}] ${JSON.stringify(result)}`);
  return result;
}

describe(`one patient's clinics changed at once by several administrators (${backendKind()})`, () => {
  test(`${PAIRS} pairs of enrollments from two admins: both clinics stay, records carry exactly the patient's accounts`, async () => {
    const outcomes = await runCases(PAIRS, [clinic(0)], (patient) => ({
      calls: [enrollPatient(admin(0), patient.id, clinic(1).id), enrollPatient(admin(1), patient.id, clinic(2).id)],
      expected: [ref(clinic(0)), ref(clinic(1)), ref(clinic(2))],
    }));
    expect(summary(outcomes)).toEqual({ cases: PAIRS, failedCalls: [], lostOrWrong: 0, withDriftedRecords: 0 });
  }, 180_000);

  test(`${TRIPLES} triples of enrollments from three admins: all three clinics stay`, async () => {
    const outcomes = await runCases(TRIPLES, [clinic(0)], (patient) => ({
      calls: [1, 2, 3].map((c, i) => enrollPatient(admin(i), patient.id, clinic(c).id)),
      expected: clinics.map(ref),
    }));
    expect(summary(outcomes)).toEqual({ cases: TRIPLES, failedCalls: [], lostOrWrong: 0, withDriftedRecords: 0 });
  }, 180_000);

  test(`${MIXED} mixed changes at once (one removes, one adds, one moves): each one's change is kept`, async () => {
    const outcomes = await runCases(MIXED, [clinic(0), clinic(1)], (patient) => ({
      calls: [
        unenrollPatient(admin(0), patient.id, clinic(0).id),
        enrollPatient(admin(1), patient.id, clinic(2).id),
        changePatientClinics(admin(2), patient.id, { enroll: [clinic(3).id], unenroll: [clinic(1).id] }),
      ],
      expected: [ref(clinic(2)), ref(clinic(3))],
    }));
    expect(summary(outcomes)).toEqual({ cases: MIXED, failedCalls: [], lostOrWrong: 0, withDriftedRecords: 0 });
  }, 180_000);
});
