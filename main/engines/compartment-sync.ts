import type { WithId } from '@medplum/core';
import type { Bundle, BundleEntry, Patient, Reference, Resource } from '@medplum/fhirtypes';
import { AppError } from '../errors/app-error';
import { withAccountsMeta } from './account-delta';
import type { RecordFix } from './account-plan';
import { accountsOf, otherPatientsOf, recordFixes } from './account-plan';
import { batchGet, MAX_PAGE } from './all-pages';
import type { EngineContext } from './engine-context';
import { fresh } from './engine-context';
import { MSO_CLINICAL_TYPES } from './mso-access-policy';
import { backoff, readPatientFromDatabase } from './patient-accounts-write';
import { toAppError } from './server-errors';

/**
 * The record types kept in line with the patient: every clinical type of the MSO policy (the only
 * ones a clinician can reach) and the other common compartment types. Rarer types are not checked.
 */
export const RECORD_TYPES = [
  ...MSO_CLINICAL_TYPES.filter((t) => t !== 'Patient'),
  'MedicationRequest',
  'Appointment',
  'DocumentReference',
  'ServiceRequest',
  'Procedure',
  'Immunization',
  'AllergyIntolerance',
  'CarePlan',
] as const;

/** Rounds of check-and-correct before giving up (each ends early when nothing needs correcting). */
export const MAX_SYNC_PASSES = 8;

/** Corrections per batch bundle: one round trip each, well inside any request timeout. */
const WRITES_PER_BATCH = 50;

export interface RecordSync {
  /** Records whose accounts were corrected. */
  readonly updated: number;
  readonly passes: number;
}

/**
 * Brings the patient's related records to exactly the patient's current accounts. Medplum's
 * `$set-accounts` propagation applies each call's own difference, on records it read without a
 * version check, so two changes at once can leave records with another list than the patient.
 * Here each pass reads the patient and its records from the database, corrects every record that
 * differs with a `PUT` under `If-Match` (a record edited meanwhile is left to the next pass, never
 * overwritten), and ends once nothing differs, or once its corrections were made against a
 * patient version that is still the current one. Whoever changes the patient later runs the same
 * passes afterwards, so the last change's passes leave the records matching the final list.
 * `known` is the patient as just written, which saves the first read.
 */
export async function syncPatientRecords(ctx: EngineContext, patientId: string, known?: WithId<Patient>): Promise<RecordSync> {
  const patientRef = `Patient/${patientId}`;
  let updated = 0;
  let patient = known ?? (await readPatientFromDatabase(ctx, patientId));
  for (let pass = 1; pass <= MAX_SYNC_PASSES; pass++) {
    const records = await compartmentRecords(ctx, patientId);
    const fixes = recordFixes(records, patientRef, await accountsOfPatients(ctx, patient, records));
    if (!fixes.length) {
      return { updated, passes: pass };
    }
    const { written, refused } = await correctRecords(ctx, fixes);
    updated += written;
    const now = await readPatientFromDatabase(ctx, patientId);
    if (!refused && now.meta?.versionId === patient.meta?.versionId) {
      return { updated, passes: pass };
    }
    ctx.logger?.info('patient.records_resync', { patient: patientRef, pass, refused });
    patient = now;
    if (refused) {
      await backoff(pass);
    }
  }
  throw new AppError(
    'conflict',
    'The patient’s clinics were saved, but their records kept changing while we brought them in line. Make the change again in a moment to finish it.'
  );
}

/** Every record of RECORD_TYPES in the patient's compartment: first pages in one batch, then `next` links. */
async function compartmentRecords(ctx: EngineContext, patientId: string): Promise<WithId<Resource>[]> {
  const count = ctx.pageSize ?? MAX_PAGE;
  const action = 'read the patient’s records';
  const firstPages = await batchGet<Bundle<WithId<Resource>>>(
    ctx.client,
    RECORD_TYPES.map((t) => `${t}?_compartment=Patient/${patientId}&_count=${count}&_sort=_lastUpdated`),
    action
  );
  const records: WithId<Resource>[] = [];
  for (const first of firstPages) {
    let page: Bundle<WithId<Resource>> | undefined = first;
    while (page) {
      records.push(...(page.entry ?? []).flatMap((e) => (e.resource && e.resource.resourceType !== 'Patient' ? [e.resource] : [])));
      const next: string | undefined = page.link?.find((l) => l.relation === 'next')?.url;
      try {
        page = next ? await ctx.client.get<Bundle<WithId<Resource>>>(next, fresh()) : undefined;
      } catch (err) {
        throw toAppError(err, action);
      }
    }
  }
  return records;
}

/** The current accounts of the patient and of any other patient whose compartment holds one of the records. */
async function accountsOfPatients(
  ctx: EngineContext,
  patient: WithId<Patient>,
  records: readonly Resource[]
): Promise<Map<string, Reference[]>> {
  const patientRef = `Patient/${patient.id}`;
  const result = new Map<string, Reference[]>([[patientRef, accountsOf(patient)]]);
  const others = [...new Set(records.flatMap((r) => otherPatientsOf(r, patientRef)))];
  if (others.length) {
    const ids = others.map((r) => r.slice('Patient/'.length));
    const [found] = await batchGet<Bundle<WithId<Patient>>>(ctx.client, [`Patient?_id=${ids.join(',')}&_count=${ids.length}`], 'read the other patients of shared records');
    for (const entry of found?.entry ?? []) {
      if (entry.resource) {
        result.set(`Patient/${entry.resource.id}`, accountsOf(entry.resource));
      }
    }
  }
  return result;
}

/** Writes the corrections under If-Match, in batches; counts the ones refused because the record changed (or went). */
async function correctRecords(ctx: EngineContext, fixes: readonly RecordFix<WithId<Resource>>[]): Promise<{ written: number; refused: number }> {
  let written = 0;
  let refused = 0;
  for (let start = 0; start < fixes.length; start += WRITES_PER_BATCH) {
    const chunk = fixes.slice(start, start + WRITES_PER_BATCH);
    let response: Bundle;
    try {
      response = await ctx.client.executeBatch({
        resourceType: 'Bundle',
        type: 'batch',
        entry: chunk.map(({ record, accounts }): BundleEntry => ({
          resource: { ...record, meta: withAccountsMeta(record.meta, accounts) },
          request: {
            method: 'PUT',
            url: `${record.resourceType}/${record.id}`,
            ...(record.meta?.versionId ? { ifMatch: `W/"${record.meta.versionId}"` } : {}),
          },
        })),
      });
    } catch (err) {
      throw toAppError(err, 'update the patient’s records');
    }
    chunk.forEach(({ record }, i) => {
      const entry = response.entry?.[i];
      const status = Number.parseInt(entry?.response?.status ?? '', 10);
      if (status >= 200 && status < 300) {
        written++;
      } else if (status === 412 || status === 409 || status === 404 || status === 410) {
        refused++;
      } else {
        const outcome = entry?.response?.outcome;
        throw outcome
          ? toAppError(outcome, 'update the patient’s records')
          : new AppError('server_error', 'The server could not update the patient’s records. Try again; if it keeps failing, see Details.', `${record.resourceType}: ${status}`);
      }
    });
  }
  return { written, refused };
}
