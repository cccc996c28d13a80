/**
 * The clinic page's bulk enrollment on the import's paced apply, against the test backend (the
 * local server, and a real Medplum on the real tier): a few people at once and never more, the
 * quota waited for instead of met with 429s, a cancel that leaves nobody half-changed, and the
 * server holding exactly what the job reports.
 */
import type { MedplumClient, WithId } from '@medplum/core';
import type { Observation, Organization, Patient, ProjectMembership } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BulkEnrollmentResult, type BulkKind, runBulkEnrollment } from '../../../main/enrollment/bulk-enrollment';
import { QuotaPacer } from '../../../main/import/apply/quota-pacer';
import type { JobContext } from '../../../main/jobs/job-registry';
import { DEFAULT_FHIR_QUOTA, type TestBackend, startTestBackend } from '../../support/backend';
import { engineContext } from '../../support/engine';
import { createClinic, createClinician, createPatientInClinics, signInAsAdmin } from '../../support/local-server';
import { clientOver, meteredFetch } from '../../support/metered-fetch';

// A new object each time: MedplumClient writes into the options it is given.
const fresh = () => ({ cache: 'no-cache' }) as RequestInit;
let backend: TestBackend;
let admin: MedplumClient;

beforeAll(async () => {
  // Local windows of 5 s stand in for the real server's minute, so the pacing test crosses one quickly.
  backend = await startTestBackend({ local: { quota: { pointsPerWindow: DEFAULT_FHIR_QUOTA, windowSeconds: 5 } } });
  admin = await signInAsAdmin(backend);
});
afterAll(async () => {
  await backend.stop();
});

function jobContext(onReport?: (done: number, signal: AbortController) => void): JobContext & { controller: AbortController; reports: number[] } {
  const controller = new AbortController();
  const reports: number[] = [];
  return {
    controller,
    reports,
    signal: controller.signal,
    report: ({ done }) => {
      reports.push(done);
      onReport?.(done, controller);
    },
  };
}

async function patients(count: number, withObservation = false): Promise<WithId<Patient>[]> {
  const made: WithId<Patient>[] = [];
  for (let index = 0; index < count; index++) {
    const patient = await createPatientInClinics(admin, []);
    if (withObservation) {
      await admin.createResource<Observation>({ resourceType: 'Observation', status: 'final', code: { text: 'weight' }, subject: { reference: `Patient/${patient.id}` } });
    }
    made.push(patient);
  }
  return made;
}

async function idsInClinic(clinic: WithId<Organization>): Promise<string[]> {
  const found = await admin.searchResources('Patient', { _compartment: `Organization/${clinic.id}`, _count: '1000' }, fresh());
  return found.map((patient) => patient.id as string).sort();
}

function run(client: MedplumClient, clinic: WithId<Organization>, kind: BulkKind, ids: readonly string[], job: JobContext, pacer?: QuotaPacer): Promise<BulkEnrollmentResult> {
  const ctx = engineContext(backend, client);
  return runBulkEnrollment(ctx, { clinicId: clinic.id, kind, ids }, job, pacer ? { pacer } : {});
}

describe('bulk enrollment on the paced apply', () => {
  it('waits for the quota to reset instead of running into 429s', async () => {
    // First in the file, so that set-up and the changes share one window: about 1,000 points of
    // set-up and 8 changes of 361 points each (COST.changePatient) cannot fit in 2,500, and need
    // no more than two windows.
    await backend.setFhirQuota(2_500);
    const clinic = await createClinic(admin, 'Bulk Paced');
    const chosen = await patients(8);
    const meter = meteredFetch();
    const client = clientOver(admin, meter.fetch);
    await learnQuota(client);
    meter.reset();
    const pacer = new QuotaPacer(client);
    const result = await run(client, clinic, 'patients', chosen.map((patient) => patient.id), jobContext(), pacer).finally(() => backend.setFhirQuota(2_000_000));
    expect(result).toMatchObject({ enrolled: 8, failed: 0, cancelled: false });
    expect(pacer.state().waitedMs).toBeGreaterThan(0);
    expect(meter.counts.throttled).toBe(0);
    expect(await idsInClinic(clinic)).toEqual(chosen.map((patient) => patient.id).sort());
  }, 240_000);

  it('changes a few people at once and never more, and the server then holds every one', async () => {
    const clinic = await createClinic(admin, 'Bulk Bounded');
    const chosen = await patients(12);
    // Added latency keeps several people in flight at the same moment.
    const meter = meteredFetch(30);
    const job = jobContext();
    const result = await run(clientOver(admin, meter.fetch), clinic, 'patients', chosen.map((patient) => patient.id), job);
    expect(result).toMatchObject({ enrolled: 12, failed: 0, total: 12, cancelled: false });
    // Each person's requests go one after another, so requests in flight are people in flight.
    expect(meter.counts.maxInFlight).toBeGreaterThan(1);
    expect(meter.counts.maxInFlight).toBeLessThanOrEqual(4);
    expect(job.reports.at(-1)).toBe(12);
    expect(await idsInClinic(clinic)).toEqual(chosen.map((patient) => patient.id).sort());
  });

  it('stops starting people when cancelled; everyone is either wholly changed or untouched', async () => {
    const clinic = await createClinic(admin, 'Bulk Cancel');
    const chosen = await patients(16, true);
    const meter = meteredFetch(40);
    // Cancelled once two people are done: those under way finish, nobody new starts.
    const job = jobContext((done, controller) => {
      if (done >= 2) controller.abort();
    });
    const result = await run(clientOver(admin, meter.fetch), clinic, 'patients', chosen.map((patient) => patient.id), job);
    expect(result.cancelled).toBe(true);
    expect(result.enrolled).toBeGreaterThanOrEqual(2);
    expect(result.enrolled).toBeLessThan(16);
    const enrolled = await idsInClinic(clinic);
    expect(enrolled).toHaveLength(result.enrolled);
    for (const patient of chosen) {
      const [observation] = await admin.searchResources('Observation', { subject: `Patient/${patient.id}` }, fresh());
      const observationInClinic = (observation?.meta?.accounts ?? []).some((account) => account.reference === `Organization/${clinic.id}`);
      // The patient and its record moved together, or neither did.
      expect(observationInClinic, `Patient/${patient.id}`).toBe(enrolled.includes(patient.id));
    }
  });

  it('records a person who cannot be changed and goes on with the rest', async () => {
    const clinic = await createClinic(admin, 'Bulk Partial');
    const [good] = await patients(1);
    const ctx = engineContext(backend, admin);
    const result = await runBulkEnrollment(ctx, { clinicId: clinic.id, kind: 'patients', ids: ['does-not-exist', good?.id as string] }, jobContext());
    expect(result).toMatchObject({ enrolled: 1, failed: 1, cancelled: false });
    expect(await idsInClinic(clinic)).toEqual([good?.id]);
    expect(ctx.activity.entries.some((entry) => entry.result === 'failed' && entry.targets.includes('Patient/does-not-exist'))).toBe(true);
  });

  it('enrolls clinicians and removes them again, every membership keeping the MSO policy', async () => {
    const home = await createClinic(admin, 'Bulk Staff Home');
    const clinic = await createClinic(admin, 'Bulk Staff');
    const staff: Awaited<ReturnType<typeof createClinician>>[] = [];
    for (let index = 0; index < 5; index++) staff.push(await createClinician(backend, admin, [home]));
    const ids = staff.map((clinician) => clinician.practitioner.reference?.split('/')[1] as string);
    const enrolled = await run(admin, clinic, 'clinicians', ids, jobContext());
    expect(enrolled).toMatchObject({ enrolled: 5, failed: 0 });
    const accessOf = async () => {
      const memberships = (await admin.searchResources('ProjectMembership', { _count: '1000' }, fresh())) as WithId<ProjectMembership>[];
      return staff.map((clinician) => {
        const membership = memberships.find((candidate) => candidate.id === clinician.membership.id);
        expect(membership?.accessPolicy?.reference).toBe(`AccessPolicy/${backend.seed.msoPolicyId}`);
        return (membership?.access ?? []).map((entry) => entry.parameter?.[0]?.valueReference?.reference).sort();
      });
    };
    expect(await accessOf()).toEqual(staff.map(() => [`Organization/${home.id}`, `Organization/${clinic.id}`].sort()));
    const removed = await runBulkEnrollment(engineContext(backend, admin), { clinicId: clinic.id, kind: 'clinicians', ids, action: 'unenroll' }, jobContext());
    expect(removed).toMatchObject({ action: 'unenroll', enrolled: 5, failed: 0 });
    expect(await accessOf()).toEqual(staff.map(() => [`Organization/${home.id}`]));
  });
});

/** One cheap read, so the client knows the quota's state; a window spent by set-up is waited out here. */
async function learnQuota(client: MedplumClient): Promise<void> {
  for (let tries = 0; tries < 3; tries++) {
    try {
      await client.search('Organization', { _count: '1', _summary: 'count' }, fresh());
      return;
    } catch {
      const reset = client.rateLimitStatus().find((limit) => limit.name === 'fhirInteractions')?.secondsUntilReset ?? 5;
      await new Promise((resolve) => setTimeout(resolve, (reset + 1) * 1000));
    }
  }
}
