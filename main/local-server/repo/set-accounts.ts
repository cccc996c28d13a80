import type { WithId } from '@medplum/core';
import { badRequest, normalizeOperationOutcome, OperationOutcomeError, Operator } from '@medplum/core';
import type { FhirRepository } from '@medplum/fhir-router';
import type { AsyncJob, Parameters, Reference, Resource } from '@medplum/fhirtypes';
import { accountsOf, withAccounts } from './accounts-meta';
import { getPatientCompartmentTypes } from './patient-compartment';

/**
 * `POST <Type>/<id>/$set-accounts` as Medplum runs it (the caller checks the project-admin rule).
 * Sets the target's `meta.accounts` (the whole list: it replaces) and `meta.account`; the
 * repository re-derives `meta.compartment`. With `propagate` on a Patient, every other resource in
 * its compartment gets only the DIFFERENCE between the patient's previous and new lists: accounts
 * a resource has for other reasons survive, and so do stale ones left by an earlier set without
 * `propagate` (what the real server does). Returns `resourcesUpdated`, the target included.
 * `repo` must write accounts as given (the AccountsRepository, as the server or an admin).
 * `systemRepo`, when given, reads the target: Medplum reads it as the system, so that read is
 * not charged to the caller's quota (the writes and the compartment search are).
 */
export async function setAccountsOperation(
  repo: FhirRepository,
  resourceType: string,
  id: string,
  params: Parameters,
  systemRepo: FhirRepository = repo
): Promise<Parameters> {
  const { accounts, propagate } = readParameters(params);
  const target = await systemRepo.readResource(resourceType, id);
  const previous = accountsOf(target.meta) ?? [];
  await repo.updateResource({ ...target, meta: withAccounts(target.meta ?? {}, accounts) });
  let resourcesUpdated = 1;

  if (propagate && resourceType === 'Patient') {
    const added = accounts.filter((a) => !previous.some((p) => p.reference === a.reference));
    const removed = previous.filter((p) => !accounts.some((a) => a.reference === p.reference));
    for (const related of await patientCompartment(repo, id)) {
      const next = applyDifference(accountsOf(related.meta) ?? [], added, removed);
      await repo.updateResource({ ...related, meta: withAccounts(related.meta ?? {}, next) });
      resourcesUpdated++;
    }
  }
  return { resourceType: 'Parameters', parameter: [{ name: 'resourcesUpdated', valueInteger: resourcesUpdated }] };
}

/** A running `$set-accounts` for `Prefer: respond-async`: the job to answer 202 with, and its end. */
export interface SetAccountsJob {
  /** The AsyncJob as created (status `accepted`), stored in `repo` so it can be read back by id. */
  readonly job: WithId<AsyncJob>;
  /** Settles (never rejects) with the job as last stored: `completed` with the output, or `error`. */
  readonly done: Promise<WithId<AsyncJob>>;
}

/**
 * Starts the operation in the background and returns at once. The AsyncJob moves from `accepted`
 * to `completed` with the operation's Parameters as `output`, or to `error` with an `outcome`
 * parameter, as Medplum's AsyncJobExecutor records it.
 */
export async function startSetAccountsJob(
  repo: FhirRepository,
  resourceType: string,
  id: string,
  params: Parameters,
  requestUrl = `${resourceType}/${id}/$set-accounts`,
  systemRepo: FhirRepository = repo
): Promise<SetAccountsJob> {
  readParameters(params); // A malformed request fails now, with 400, not inside the job.
  const job = await repo.createResource<AsyncJob>({
    resourceType: 'AsyncJob',
    status: 'accepted',
    request: requestUrl,
    requestTime: new Date().toISOString(),
  });
  const done = runJob(repo, job, () => setAccountsOperation(repo, resourceType, id, params, systemRepo));
  return { job, done };
}

async function runJob(
  repo: FhirRepository,
  job: WithId<AsyncJob>,
  work: () => Promise<Parameters>
): Promise<WithId<AsyncJob>> {
  // Let the caller send its 202 before the work starts.
  await new Promise((resolve) => setImmediate(resolve));
  let output: Parameters;
  let status: AsyncJob['status'];
  try {
    output = await work();
    status = 'completed';
  } catch (err) {
    output = { resourceType: 'Parameters', parameter: [{ name: 'outcome', resource: normalizeOperationOutcome(err) }] };
    status = 'error';
  }
  try {
    return await repo.updateResource<AsyncJob>({ ...job, status, output, transactionTime: new Date().toISOString() });
  } catch {
    return job; // Nothing left to record it in; the poller sees the job still accepted.
  }
}

function readParameters(params: Parameters): { accounts: Reference[]; propagate: boolean } {
  if (params.resourceType !== 'Parameters') {
    throw new OperationOutcomeError(badRequest('Expected a Parameters resource'));
  }
  const accounts: Reference[] = [];
  let propagate = false;
  for (const param of params.parameter ?? []) {
    if (param.name === 'accounts') {
      if (!param.valueReference?.reference) {
        throw new OperationOutcomeError(badRequest('Each accounts parameter needs a valueReference with a reference'));
      }
      accounts.push(param.valueReference);
    } else if (param.name === 'propagate') {
      propagate = param.valueBoolean === true;
    }
  }
  return { accounts, propagate };
}

/**
 * Every resource other than patients in the patient's compartment, found by `_compartment` in one
 * multi-type search (so a quota wrapper charges one search, as the server does).
 */
async function patientCompartment(repo: FhirRepository, patientId: string): Promise<WithId<Resource>[]> {
  const types = getPatientCompartmentTypes().filter((t) => t !== 'Patient') as Resource['resourceType'][];
  return repo.searchResources({
    resourceType: types[0] ?? 'Observation',
    types,
    filters: [{ code: '_compartment', operator: Operator.EQUALS, value: `Patient/${patientId}` }],
    count: Number.MAX_SAFE_INTEGER,
  });
}

function applyDifference(current: Reference[], added: Reference[], removed: Reference[]): Reference[] {
  const kept = current.filter((c) => !removed.some((r) => r.reference === c.reference));
  const missing = added.filter((a) => !kept.some((k) => k.reference === a.reference));
  return [...kept, ...missing];
}
