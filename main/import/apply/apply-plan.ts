/**
 * Applies a dry run's plan: missing clinics first, then new patients in batch bundles, then the
 * changes of existing people through the enrollment engine's concurrency-safe writes (the same
 * code the screens use, so no membership is ever left granting the whole project), a few at once.
 * Every person's outcome goes to the journal; progress is reported per person.
 */
import type { Consent, Patient, Reference } from '@medplum/fhirtypes';
import { changeClinicianClinics, createClinician } from '../../engines/clinicians';
import { createClinic } from '../../engines/clinics';
import type { EngineContext } from '../../engines/engine-context';
import { changePatientClinics, grantConsent, revokeConsent } from '../../engines/patients';
import { updateWithRetry } from '../../engines/update-with-retry';
import { AppError } from '../../errors/app-error';
import { ClinicDirectory } from '../plan/clinic-directory';
import type { ImportPlan, PlannedPerson } from '../plan/import-plan';
import { COST } from '../plan/quota-estimate';
import type { PatientRosterRow, PractitionerRosterRow } from '../roster/roster-rows';
import { type PersonOutcome, createPatients } from './create-patients';
import { type ImportJournal, type JournalEntry, personDigest } from './import-journal';
import { PeopleQueue } from './people-queue';
import { QuotaPacer } from './quota-pacer';
import { pacedEach } from './paced-each';
import { withRetries } from './with-retries';

export interface ApplyOptions {
  readonly journal: ImportJournal;
  readonly sendInvites: boolean;
  readonly updateDemographics: boolean;
  readonly consent?: Reference<Consent>;
  readonly signal?: AbortSignal;
  /** Changes of existing people in flight at once. */
  readonly concurrency?: number;
  readonly onProgress?: (progress: ApplyProgress) => void;
  readonly pacer?: QuotaPacer;
}

export interface ApplyProgress {
  readonly done: number;
  readonly total: number;
  readonly failed: number;
  readonly pointsLeft: number | undefined;
}

export interface ApplyResult {
  readonly created: number;
  readonly changed: number;
  readonly failed: readonly { readonly lines: readonly number[]; readonly reason: string }[];
  readonly clinicsCreated: number;
  readonly cancelled: boolean;
}

/** What one person's change spends at least, reserved from the quota before it starts. */
function pointsOf(person: PlannedPerson): number {
  if (person.kind === 'practitioners') return person.action === 'create' ? COST.createClinician : COST.changeClinician;
  return COST.changePatient;
}

function reasonOf(error: unknown): string {
  if (error instanceof AppError) return error.message;
  return 'The server refused this change; run the import again, or see Activity.';
}

/**
 * A plan whose people are still being looked up: the clinics to create are known, the new
 * patients come as each look-up answers, and the whole plan (for everyone else) when the last has.
 */
export interface StreamedPlan {
  readonly clinicsToCreate: readonly string[];
  readonly newPatients: PeopleQueue<PlannedPerson>;
  readonly plan: Promise<ImportPlan>;
  /** People in the file: the most the plan can have to do, for progress until it is whole. */
  readonly people: number;
  /** Stops the look-ups still to start (the creates failed: the import ends here). */
  readonly stop?: () => void;
}

const isNewPatient = (person: PlannedPerson) => person.kind === 'patients' && person.action === 'create';

export function newPatientsOf(people: readonly PlannedPerson[]): PlannedPerson[] {
  return people.filter(isNewPatient);
}

export async function applyPlan(ctx: EngineContext, plan: ImportPlan, options: ApplyOptions): Promise<ApplyResult> {
  const work = plan.people.filter((person) => person.action !== 'unchanged');
  return applyStreamedPlan(ctx, { clinicsToCreate: plan.clinicsToCreate, newPatients: PeopleQueue.of(newPatientsOf(work)), plan: Promise.resolve(plan), people: work.length }, options);
}

export async function applyStreamedPlan(ctx: EngineContext, streamed: StreamedPlan, options: ApplyOptions): Promise<ApplyResult> {
  const pacer = options.pacer ?? new QuotaPacer(ctx.client);
  let total = streamed.people;
  let done = 0;
  let created = 0;
  let changed = 0;
  const failed: { lines: readonly number[]; reason: string }[] = [];
  const report = () => options.onProgress?.({ done, total, failed: failed.length, pointsLeft: pacer.state().pointsLeft });
  const recordAll = async (outcomes: readonly PersonOutcome[], kind: 'create' | 'change', answered?: JournalEntry) => {
    for (const outcome of outcomes) {
      done++;
      if (outcome.ok) {
        if (kind === 'create') created++;
        else changed++;
      } else {
        failed.push({ lines: outcome.person.lines, reason: outcome.reason ?? 'failed' });
      }
    }
    // Reported as the answer comes (a Cancel in answer to it lands before the next batch goes);
    // a crash before the journal has it only makes those people looked up again on resume.
    report();
    await options.journal.appendAll([
      ...(answered ? [answered] : []),
      ...outcomes.map((outcome): JournalEntry => ({ t: 'person', person: outcome.digest ?? personDigest(outcome.person.key), result: outcome.ok ? 'ok' : 'failed', ...(outcome.reason ? { reason: outcome.reason } : {}) })),
    ]);
  };
  const record = (outcome: PersonOutcome, kind: 'create' | 'change') => recordAll([outcome], kind);
  report();

  const cancelled = () => options.signal?.aborted === true;
  // Clinics this import creates, once each; a clinic made by an earlier, interrupted run is found by name.
  const clinicIds = new Map<string, string>();
  let clinicsCreated = 0;
  try {
    if (streamed.clinicsToCreate.length) {
      const directory = await ClinicDirectory.load(ctx);
      for (const name of streamed.clinicsToCreate) {
        options.signal?.throwIfAborted();
        const match = directory.resolve({ kind: 'name', name });
        const id = 'found' in match ? match.found.id : (await withRetries(() => createClinic(ctx, { name }), options.signal)).id;
        if (!('found' in match)) clinicsCreated++;
        clinicIds.set(directory.planned(name).id, id);
      }
    }
  } catch (error) {
    // The look-ups may still be running: none new starts, and their end is awaited.
    streamed.stop?.();
    await streamed.plan.catch(() => undefined);
    if (!cancelled()) throw error;
    return { created, changed, failed, clinicsCreated, cancelled: true };
  }
  const realIds = (ids: readonly string[]) => ids.map((id) => clinicIds.get(id) ?? id);

  try {
    const creating = createPatients(
      ctx,
      streamed.newPatients,
      { clinicIds, ...(options.consent ? { consent: options.consent } : {}), journal: options.journal, pacer, ...(options.signal ? { signal: options.signal } : {}) },
      (outcomes, answered) => recordAll(outcomes, 'create', answered),
    );
    creating.catch(() => streamed.stop?.());
    // Both settle before either's failure is reported: no batch is left without its journal entry.
    const [creates, whole] = await Promise.allSettled([creating, streamed.plan]);
    if (creates.status === 'rejected') throw creates.reason;
    if (whole.status === 'rejected') throw whole.reason;
    const plan = whole.value;
    const others = plan.people.filter((person) => person.action !== 'unchanged' && !isNewPatient(person));
    total = done + others.length;
    report();
    // Invitations one at a time: a real Medplum answers invitations sent at once with conflicts
    // (they update shared records); changes of existing people run a few at once.
    const invitations = others.filter((person) => person.kind === 'practitioners' && person.action === 'create');
    const changes = others.filter((person) => !invitations.includes(person));
    const applyEach = (people: readonly PlannedPerson[], concurrency: number) =>
      pacedEach(
        people,
        { pacer, concurrency, points: pointsOf, signal: options.signal },
        (person) => applyPerson(ctx, person, realIds, options),
        (outcome) =>
          outcome.ok
            ? record({ person: outcome.item, ok: true }, outcome.item.action === 'create' ? 'create' : 'change')
            : record({ person: outcome.item, ok: false, reason: reasonOf(outcome.error) }, 'change'),
      );
    await applyEach(invitations, 1);
    await applyEach(changes, options.concurrency ?? 4);
  } catch (error) {
    if (!cancelled()) throw error;
  }
  return { created, changed, failed, clinicsCreated, cancelled: cancelled() };
}

async function applyPerson(ctx: EngineContext, person: PlannedPerson, realIds: (ids: readonly string[]) => string[], options: ApplyOptions): Promise<void> {
  if (person.kind === 'practitioners') {
    const row = person.row as PractitionerRosterRow;
    if (person.action === 'create') {
      await createClinician(ctx, {
        firstName: row.givenName,
        lastName: row.familyName,
        email: row.email,
        ...(row.npi ? { npi: row.npi } : {}),
        clinicIds: realIds(person.add),
        sendEmail: options.sendInvites,
      });
      return;
    }
    await changeClinicianClinics(ctx, person.existingId as string, { enroll: realIds(person.add), unenroll: realIds(person.remove) });
    return;
  }
  const patientId = person.existingId as string;
  if (person.add.length || person.remove.length) {
    await changePatientClinics(ctx, patientId, { enroll: realIds(person.add), unenroll: realIds(person.remove) });
  }
  if (person.consent && options.consent) {
    await (person.consent === 'grant' ? grantConsent : revokeConsent)(ctx, patientId, options.consent);
  }
  if (options.updateDemographics && person.differingColumns.length) {
    const row = person.row as PatientRosterRow;
    await updateWithRetry<Patient>(
      ctx.client,
      'Patient',
      patientId,
      (current) => ({
        ...current,
        name: [{ ...(current.name?.[0] ?? {}), given: row.givenName.split(/\s+/), family: row.familyName }, ...(current.name?.slice(1) ?? [])],
        birthDate: row.birthDate,
        ...(row.gender ? { gender: row.gender } : {}),
      }),
      'update the patient’s details',
    );
  }
}
