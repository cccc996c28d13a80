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
import { type ImportJournal, type JournalEntry, personDigest } from './import-journal';
import type { PeopleQueue } from './people-queue';
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
  /** The person's digest in the journal, when already worked out (a batch's people are hashed once). */
  readonly digest?: string;
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
  people: PeopleQueue<PlannedPerson>,
  options: CreateOptions,
  onOutcome: (outcomes: PersonOutcome[], answered: JournalEntry) => Promise<void>,
): Promise<void> {
  const uncertain = options.journal.uncertain();
  const recorded: Promise<void>[] = [];
  // A failed batch ends the import: the other worker and the readying stop with it.
  const failed = new AbortController();
  const halt = options.signal ? AbortSignal.any([options.signal, failed.signal]) : failed.signal;
  // A few batches in flight: the server works on one while the answer of another travels. Each
  // worker readies its next batch (its people and its "sending" entry on disk) while its batch is
  // out, and records an answer without holding up the next batch: a batch's "sending" entry is
  // what keeps a resume exact, and it is on disk before that batch goes out.
  const worker = async () => {
    let ready: ReadyBatch | undefined;
    try {
      ready = await readyBatch(people, options.journal, halt);
    } catch (error) {
      // Halted by the other worker's failure or a cancel: that is reported there.
      if (halt.aborted) return;
      failed.abort(error);
      throw error;
    }
    while (ready) {
      // One turn of the event loop first: a Cancel already on its way is seen before this batch goes.
      await new Promise<void>((resolve) => setImmediate(resolve));
      // Points are reserved as the batch goes, not while it waits: a reservation held by a batch
      // that is not out would keep the pacer from ever seeing the window's new budget.
      // A batch with people whose earlier batch got no answer sends them as conditional creates,
      // which also pay for their search: priced so from the start, reserved once.
      const unit = ready.people.some((person) => uncertain.has(ready?.digests.get(person) as string)) ? POINTS.write + POINTS.search * 2 : POINTS.write;
      const reserved = halt.aborted ? 0 : await options.pacer.reserveUpTo(unit, ready.people.length, halt).catch(() => 0);
      if (reserved === 0) {
        // Readied but not sent: on Cancel no new batch starts, and a resume plans these people again.
        await dropBatch(ready, options.journal);
        return;
      }
      // People the window does not pay for go in a later batch (with an entry of their own).
      const batch = reserved < ready.people.length ? { ...ready, people: ready.people.slice(0, reserved) } : ready;
      if (batch !== ready) people.putBack(ready.people.slice(reserved));
      const answer = sendBatch(ctx, batch, unit, uncertain, options);
      const next = readyBatch(people, options.journal, halt);
      // Settled later; a failure of either is handled there, never left unhandled meanwhile.
      next.catch(() => undefined);
      let outcomes: PersonOutcome[];
      try {
        outcomes = await answer;
      } catch (error) {
        failed.abort(error);
        const unsent = await next.catch(() => undefined);
        // The batch's own failure is the one to report, whatever becomes of this entry.
        if (unsent) await dropBatch(unsent, options.journal).catch(() => undefined);
        throw error;
      }
      const recording = onOutcome(outcomes, { t: 'sent', batch: batch.batch });
      recording.catch((error: unknown) => failed.abort(error));
      recorded.push(recording);
      try {
        ready = await next;
      } catch (error) {
        // A cancel (or the other worker's failure) while readying: nothing more is sent from here.
        if (halt.aborted) return;
        failed.abort(error);
        throw error;
      }
    }
  };
  const workers = await Promise.allSettled(Array.from({ length: CREATE_CONCURRENCY }, worker));
  // Every batch has its answer, and every answer is in the journal, before the caller counts.
  const records = await Promise.allSettled(recorded);
  const failure = [...workers, ...records].find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) throw failure.reason;
  // A cancel is the caller's to report as such.
  options.signal?.throwIfAborted();
}

interface ReadyBatch {
  readonly batch: number;
  readonly people: readonly PlannedPerson[];
  /** Each person's digest, as the journal names them. */
  readonly digests: ReadonlyMap<PlannedPerson, string>;
}

/** The next batch: its people, and its "sending" entry on disk. */
async function readyBatch(queue: PeopleQueue<PlannedPerson>, journal: ImportJournal, signal: AbortSignal): Promise<ReadyBatch | undefined> {
  signal.throwIfAborted();
  const people = await queue.take(CREATE_BATCH, signal);
  if (people.length === 0) return undefined;
  const batch = journal.nextBatch();
  const digests = new Map(people.map((person) => [person, personDigest(person.key)]));
  try {
    await journal.append({ t: 'sending', batch, people: [...digests.values()] });
  } catch (error) {
    queue.putBack(people);
    throw error;
  }
  return { batch, people, digests };
}

/** A readied batch that will not be sent: the journal says it never went out. */
async function dropBatch(ready: ReadyBatch, journal: ImportJournal): Promise<void> {
  await journal.append({ t: 'unsent', batch: ready.batch });
}

/** One batch sent (again for entries refused for a moment) and answered; its points are given back as it goes. */
async function sendBatch(ctx: EngineContext, ready: ReadyBatch, unit: number, uncertain: ReadonlySet<string>, options: CreateOptions): Promise<PersonOutcome[]> {
  let pending = [...ready.people];
  const outcomes: PersonOutcome[] = [];
  // Entries the server could not take for a moment are sent again, conditionally.
  for (let round = 1; pending.length && round <= 4; round++) {
    const conditional = (person: PlannedPerson) => round > 1 || uncertain.has(ready.digests.get(person) as string);
    const sent = pending;
    // Conditional creates also pay for the search they make; the first round was reserved with the
    // batch, at `unit` a person; entries sent again reserve theirs.
    const points = round > 1 ? sent.length * (POINTS.write + POINTS.search * 2) : sent.length * unit;
    if (round > 1) await options.pacer.reserve(points, options.signal);
    let bundle: Bundle;
    try {
      bundle = {
        resourceType: 'Bundle',
        type: 'batch',
        entry: sent.map((person) => entryOf(person, patientOf(person, options.clinicIds, options.consent), conditional(person))),
      };
    } catch (error) {
      options.pacer.done(points);
      throw error;
    }
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
      const digest = ready.digests.get(person) as string;
      if (status === 200 || status === 201) outcomes.push({ person, digest, ok: true });
      else if (status >= 500 || status === 429 || status === 0) again.push(person);
      else outcomes.push({ person, digest, ok: false, reason: reasonOf(response.entry?.[index]) });
    });
    pending = again;
  }
  for (const person of pending) outcomes.push({ person, digest: ready.digests.get(person) as string, ok: false, reason: 'The server kept refusing this row for the moment; run the import again to finish it.' });
  return outcomes;
}

function reasonOf(entry: BundleEntry | undefined): string {
  const outcome = entry?.response?.outcome ?? (entry?.resource?.resourceType === 'OperationOutcome' ? entry.resource : undefined);
  return outcome ? serverWordsOf(outcome) || 'The server refused this row.' : 'The server refused this row.';
}

