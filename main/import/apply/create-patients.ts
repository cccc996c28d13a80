/**
 * New patients, 100 to a batch bundle: one request per batch, each patient created with its
 * clinics (and the universal consent, if the file grants it) in `meta.accounts`, so no
 * `$set-accounts` follows. A batch whose answer never came (a crash, a dropped connection) is
 * sent again as conditional creates keyed by MRN: what landed the first time is found, not doubled.
 */
import type { Bundle, BundleEntry, Patient, Reference } from '@medplum/fhirtypes';
import { clinicReference } from '../../engines/access-list';
import type { EngineContext } from '../../engines/engine-context';
import { identifierQuery } from '../../engines/identifier-query';
import { serverWordsOf } from '../../engines/server-errors';
import type { PatientRosterRow } from '../roster/roster-rows';
import type { PlannedPerson } from '../plan/import-plan';
import { type ImportJournal, personDigest } from './import-journal';
import type { QuotaPacer } from './quota-pacer';
import { POINTS } from '../plan/quota-estimate';
import { withRetries } from './with-retries';

export const CREATE_BATCH = 100;
/** Batches in flight at once. */
export const CREATE_CONCURRENCY = 2;

interface CreateOptions {
  readonly clinicIds: ReadonlyMap<string, string>;
  readonly consent?: Reference;
  readonly journal: ImportJournal;
  readonly pacer: QuotaPacer;
  readonly signal?: AbortSignal;
}

export interface PersonOutcome {
  readonly person: PlannedPerson;
  readonly ok: boolean;
  /** For a failure: what the server said, in its words (no row values are in them). */
  readonly reason?: string;
}

function patientOf(person: PlannedPerson, clinicIds: ReadonlyMap<string, string>, consent: Reference | undefined): Patient {
  const row = person.row as PatientRosterRow;
  const accounts: Reference[] = person.add.map((id) => ({ reference: clinicReference(clinicIds.get(id) ?? id) }));
  if (person.consent === 'grant' && consent) accounts.push({ reference: consent.reference as string });
  const telecom = [
    ...(row.email ? [{ system: 'email' as const, value: row.email }] : []),
    ...(row.phone ? [{ system: 'phone' as const, value: row.phone }] : []),
  ];
  return {
    resourceType: 'Patient',
    ...(accounts.length ? { meta: { accounts, account: accounts[0] } } : {}),
    identifier: [{ system: row.mrnSystem, value: row.mrn }],
    name: [{ given: row.givenName.split(/\s+/), family: row.familyName }],
    birthDate: row.birthDate,
    ...(row.gender ? { gender: row.gender } : {}),
    ...(telecom.length ? { telecom } : {}),
  };
}

function entryOf(person: PlannedPerson, resource: Patient, conditional: boolean): BundleEntry {
  const row = person.row as PatientRosterRow;
  return {
    resource,
    request: { method: 'POST', url: 'Patient', ...(conditional ? { ifNoneExist: identifierQuery(row.mrnSystem, row.mrn) } : {}) },
  };
}

export async function createPatients(
  ctx: EngineContext,
  people: readonly PlannedPerson[],
  options: CreateOptions,
  onOutcome: (outcomes: PersonOutcome[]) => Promise<void>,
): Promise<void> {
  const uncertain = options.journal.uncertain();
  let next = 0;
  // A few batches in flight: the server works on one while the answer of another travels.
  const worker = async () => {
    while (next < people.length) {
      options.signal?.throwIfAborted();
      // As many as the quota's window still pays for, up to a full batch; the rest go in the next.
      const reserved = await options.pacer.reserveUpTo(POINTS.write, CREATE_BATCH, options.signal);
      const size = Math.min(reserved, people.length - next);
      options.pacer.done((reserved - size) * POINTS.write);
      if (size === 0) return;
      const batchPeople = people.slice(next, next + size);
      next += size;
      await createBatch(ctx, batchPeople, uncertain, options, onOutcome);
    }
  };
  const workers = await Promise.allSettled(Array.from({ length: Math.min(CREATE_CONCURRENCY, Math.ceil(people.length / CREATE_BATCH)) }, worker));
  // Every batch has its answer (or has failed) before the caller counts.
  const failure = workers.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) throw failure.reason;
}

/** One batch: announced in the journal, sent (again for entries refused for a moment), answered. */
async function createBatch(
  ctx: EngineContext,
  people: readonly PlannedPerson[],
  uncertain: ReadonlySet<string>,
  options: CreateOptions,
  onOutcome: (outcomes: PersonOutcome[]) => Promise<void>,
): Promise<void> {
  let pending = [...people];
  const batch = options.journal.nextBatch();
  await options.journal.append({ t: 'sending', batch, people: pending.map((person) => personDigest(person.key)) });
  const outcomes: PersonOutcome[] = [];
  // Entries the server could not take for a moment are sent again, conditionally.
  for (let round = 1; pending.length && round <= 4; round++) {
    const conditional = (person: PlannedPerson) => round > 1 || uncertain.has(personDigest(person.key));
    const sent = pending;
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: sent.map((person) => entryOf(person, patientOf(person, options.clinicIds, options.consent), conditional(person))),
    };
    // Entries sent again are conditional creates, which also pay for the search they make.
    const points = sent.length * (round > 1 ? POINTS.write + POINTS.search * 2 : POINTS.write);
    // The first round's points were reserved with the batch's size; entries sent again reserve theirs.
    if (round > 1) await options.pacer.reserve(points, options.signal);
    let response: Bundle;
    try {
      // A retry after no answer sends every entry conditionally: the first try may have landed.
      response = await withRetries(
        (attempt) =>
          ctx.client.executeBatch(
            attempt === 1 ? bundle : { ...bundle, entry: sent.map((person) => entryOf(person, patientOf(person, options.clinicIds, options.consent), true)) },
          ),
        options.signal,
      );
    } finally {
      options.pacer.done(points);
    }
    const again: PlannedPerson[] = [];
    sent.forEach((person, index) => {
      const status = Number.parseInt(response.entry?.[index]?.response?.status ?? '0', 10);
      if (status === 200 || status === 201) outcomes.push({ person, ok: true });
      else if (status >= 500 || status === 429 || status === 0) again.push(person);
      else outcomes.push({ person, ok: false, reason: reasonOf(response.entry?.[index]) });
    });
    pending = again;
  }
  for (const person of pending) outcomes.push({ person, ok: false, reason: 'The server kept refusing this row for the moment; run the import again to finish it.' });
  await options.journal.append({ t: 'sent', batch });
  await onOutcome(outcomes);
}

function reasonOf(entry: BundleEntry | undefined): string {
  const outcome = entry?.response?.outcome ?? (entry?.resource?.resourceType === 'OperationOutcome' ? entry.resource : undefined);
  return outcome ? serverWordsOf(outcome) || 'The server refused this row.' : 'The server refused this row.';
}

