import type { WithId } from '@medplum/core';
import { createReference, parseSearchRequest } from '@medplum/core';
import type { AsyncJob, Encounter, Observation, Organization, Parameters, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { setAccountsOperation, startSetAccountsJob } from '../../../../main/local-server/repo/set-accounts';
import {
  clinicianMembership,
  createObservation,
  createPatient,
  createWorld,
  ids,
  PROJECT_ID,
  refs,
  repoFor,
} from './fixtures';

function setAccounts(clinics: WithId<Organization>[], propagate?: boolean): Parameters {
  return {
    resourceType: 'Parameters',
    parameter: [
      ...clinics.map((c) => ({ name: 'accounts', valueReference: createReference(c) })),
      ...(propagate === undefined ? [] : [{ name: 'propagate', valueBoolean: propagate }]),
    ],
  };
}

describe('setAccountsOperation', () => {
  it("with propagate moves a patient and its observations from clinic A to clinic B, as each clinic's clinicians see", async () => {
    const w = await createWorld();
    const patient = await createPatient(w.admin, 'Mover', [w.clinicA]);
    const observations = [await createObservation(w.admin, patient), await createObservation(w.admin, patient, 'bp')];
    const encounter = await w.admin.createResource<Encounter>({
      resourceType: 'Encounter',
      status: 'finished',
      class: { code: 'AMB' },
      subject: createReference(patient),
    });
    const clinicianA = clinicianMembership(w.policy, w.practitioner, [w.clinicA]);
    const clinicianB = clinicianMembership(w.policy, w.practitioner, [w.clinicB]);
    expect(ids(await (await repoFor(w.admin, clinicianA)).searchResources(parseSearchRequest('Observation')))).toEqual(
      ids(observations)
    );

    const result = await setAccountsOperation(w.admin, 'Patient', patient.id, setAccounts([w.clinicB], true));
    expect(result).toEqual({ resourceType: 'Parameters', parameter: [{ name: 'resourcesUpdated', valueInteger: 4 }] });

    const asA = await repoFor(w.admin, clinicianA);
    const asB = await repoFor(w.admin, clinicianB);
    expect(await asA.searchResources(parseSearchRequest('Observation'))).toEqual([]);
    await expect(asA.readResource('Patient', patient.id)).rejects.toThrow('Not found');
    expect(ids(await asB.searchResources(parseSearchRequest('Observation')))).toEqual(ids(observations));
    expect((await asB.readResource('Encounter', encounter.id)).id).toBe(encounter.id);

    const stored = await w.memory.readResource<Patient>('Patient', patient.id);
    expect(refs(stored.meta?.accounts)).toEqual([`Organization/${w.clinicB.id}`]);
    expect(stored.meta?.account?.reference).toBe(`Organization/${w.clinicB.id}`);
    expect(refs(stored.meta?.compartment)).toEqual(
      [`Organization/${w.clinicB.id}`, `Patient/${patient.id}`, `Project/${PROJECT_ID}`].sort()
    );
  });

  it('later observations of the patient inherit the new accounts', async () => {
    const w = await createWorld();
    const patient = await createPatient(w.admin, 'Later', []);
    await setAccountsOperation(w.admin, 'Patient', patient.id, setAccounts([w.clinicA, w.clinicB]));
    const obs = await createObservation(w.admin, patient);
    const stored = await w.memory.readResource<Observation>('Observation', obs.id);
    expect(refs(stored.meta?.accounts)).toEqual(refs([createReference(w.clinicA), createReference(w.clinicB)]));
  });

  it("propagation applies only the difference: a resource's other accounts survive", async () => {
    const w = await createWorld();
    const clinicC = await w.admin.createResource<Organization>({ resourceType: 'Organization', name: 'Clinic C' });
    const patient = await createPatient(w.admin, 'Diff', [w.clinicA]);
    const shared = await w.admin.createResource<Observation>({
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'shared' },
      subject: createReference(patient),
      meta: { accounts: [createReference(w.clinicA), createReference(clinicC)] },
    });

    await setAccountsOperation(w.admin, 'Patient', patient.id, setAccounts([w.clinicB], true));
    const stored = await w.memory.readResource<Observation>('Observation', shared.id);
    expect(refs(stored.meta?.accounts)).toEqual(refs([createReference(clinicC), createReference(w.clinicB)]));
    expect(refs(stored.meta?.compartment)).toContain(`Organization/${clinicC.id}`);
    expect(refs(stored.meta?.compartment)).not.toContain(`Organization/${w.clinicA.id}`);
  });

  it('a patient once set without propagate leaves stale compartments on its related resources', async () => {
    const w = await createWorld();
    const clinicC = await w.admin.createResource<Organization>({ resourceType: 'Organization', name: 'Clinic C' });
    const patient = await createPatient(w.admin, 'Stale', [w.clinicA]);
    const obs = await createObservation(w.admin, patient);

    const withoutPropagate = await setAccountsOperation(w.admin, 'Patient', patient.id, setAccounts([w.clinicB]));
    expect(withoutPropagate.parameter?.[0]?.valueInteger).toBe(1);
    let stored = await w.memory.readResource<Observation>('Observation', obs.id);
    expect(refs(stored.meta?.accounts)).toEqual([`Organization/${w.clinicA.id}`]);

    // Now from [B] to [B, C] with propagate: only C is added; the stale A stays on the observation.
    await setAccountsOperation(w.admin, 'Patient', patient.id, setAccounts([w.clinicB, clinicC], true));
    stored = await w.memory.readResource<Observation>('Observation', obs.id);
    expect(refs(stored.meta?.accounts)).toEqual(refs([createReference(w.clinicA), createReference(clinicC)]));
    const asA = await repoFor(w.admin, clinicianMembership(w.policy, w.practitioner, [w.clinicA]));
    expect(ids(await asA.searchResources(parseSearchRequest('Observation')))).toEqual([obs.id]);
  });

  it('an empty account list removes every account', async () => {
    const w = await createWorld();
    const patient = await createPatient(w.admin, 'Gone', [w.clinicA]);
    const obs = await createObservation(w.admin, patient);
    await setAccountsOperation(w.admin, 'Patient', patient.id, setAccounts([], true));
    const stored = await w.memory.readResource<Observation>('Observation', obs.id);
    expect(stored.meta?.accounts).toBeUndefined();
    expect(stored.meta?.account).toBeUndefined();
    expect(refs(stored.meta?.compartment)).toEqual([`Patient/${patient.id}`, `Project/${PROJECT_ID}`].sort());
  });

  it('looks up the patient compartment with one search (a quota wrapper charges one search)', async () => {
    const w = await createWorld();
    const patient = await createPatient(w.admin, 'Counted', [w.clinicA]);
    await createObservation(w.admin, patient);
    const calls: string[] = [];
    const counting = new Proxy(w.admin, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value === 'function' && ['search', 'updateResource'].includes(String(property))) {
          return (...args: unknown[]) => {
            calls.push(String(property));
            return value.apply(receiver, args);
          };
        }
        return value;
      },
    });
    await setAccountsOperation(counting, 'Patient', patient.id, setAccounts([w.clinicB], true));
    expect(calls.filter((c) => c === 'search')).toHaveLength(1);
    expect(calls.filter((c) => c === 'updateResource')).toHaveLength(2);
  });

  it('works on any resource type, and rejects a malformed request with 400', async () => {
    const w = await createWorld();
    const result = await setAccountsOperation(w.admin, 'Organization', w.clinicB.id, setAccounts([w.clinicA], true));
    expect(result.parameter?.[0]?.valueInteger).toBe(1);
    expect(refs((await w.memory.readResource('Organization', w.clinicB.id)).meta?.compartment)).toContain(
      `Organization/${w.clinicA.id}`
    );
    await expect(
      setAccountsOperation(w.admin, 'Organization', w.clinicB.id, {
        resourceType: 'Parameters',
        parameter: [{ name: 'accounts', valueString: 'Organization/x' }],
      })
    ).rejects.toThrow(/valueReference/);
    await expect(setAccountsOperation(w.admin, 'Patient', 'missing', setAccounts([w.clinicA]))).rejects.toThrow('Not found');
  });
});

describe('startSetAccountsJob', () => {
  it('returns an accepted AsyncJob at once, which completes with the output', async () => {
    const w = await createWorld();
    const patient = await createPatient(w.admin, 'Async', [w.clinicA]);
    await createObservation(w.admin, patient);

    const { job, done } = await startSetAccountsJob(
      w.admin,
      'Patient',
      patient.id,
      setAccounts([w.clinicB], true),
      `http://127.0.0.1/fhir/R4/Patient/${patient.id}/$set-accounts`
    );
    expect(job.status).toBe('accepted');
    expect((await w.admin.readResource<AsyncJob>('AsyncJob', job.id)).status).toBe('accepted');

    const finished = await done;
    expect(finished.status).toBe('completed');
    expect(finished.output?.parameter?.[0]).toEqual({ name: 'resourcesUpdated', valueInteger: 2 });
    const polled = await w.admin.readResource('AsyncJob', job.id);
    expect(polled).toMatchObject({ status: 'completed', request: job.request });
    expect(polled.meta?.versionId).toBe(finished.meta?.versionId);
  });

  it('records a failure as status error with an outcome', async () => {
    const w = await createWorld();
    const { done } = await startSetAccountsJob(w.admin, 'Patient', 'missing', setAccounts([w.clinicA], true));
    const finished = await done;
    expect(finished.status).toBe('error');
    expect(finished.output?.parameter?.[0]?.name).toBe('outcome');
    expect(finished.output?.parameter?.[0]?.resource?.resourceType).toBe('OperationOutcome');
  });
});
