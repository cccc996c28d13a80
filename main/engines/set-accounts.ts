import type { Bundle, Parameters, Reference } from '@medplum/fhirtypes';
import { AppError } from '../ipc/app-error';
import { MSO_CLINICAL_TYPES } from './mso-access-policy';
import { batchGet } from './all-pages';
import type { EngineContext } from './engine-context';
import { toAppError } from './server-errors';

/**
 * Above this many related resources (the patient's Observations, Encounters, ...) `$set-accounts`
 * runs as an async job that we poll. At about 11 ms per related resource on a 2-core machine
 * (design.md), 200 is some 2 s: longer than that, a synchronous request risks proxy and client
 * timeouts and holds a connection the UI may need.
 */
export const ASYNC_THRESHOLD = 200;

/** How long we poll an async job before telling the administrator to look again later. */
export const ASYNC_TIMEOUT_MS = 10 * 60_000;

/** The compartment types we count to estimate the work: the clinical ones and the usual others. */
const COUNTED_TYPES = [
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

/**
 * About how many resources `$set-accounts` with `propagate` will touch: server-side counts of
 * the common compartment types, one batch round trip. An estimate: rarer types are not counted.
 */
export async function estimateCompartmentSize(ctx: EngineContext, patientId: string): Promise<number> {
  const counts = await batchGet<Bundle>(
    ctx.client,
    COUNTED_TYPES.map((t) => `${t}?_compartment=Patient/${patientId}&_summary=count`),
    'size up the patient’s records'
  );
  return counts.reduce((sum, b) => sum + (b.total ?? 0), 0);
}

/**
 * `POST Patient/<id>/$set-accounts` with the whole new list and `propagate`, synchronously or as
 * an async job (`Prefer: respond-async`, polled to the end). Throws an AppError on failure.
 */
export async function setPatientAccounts(
  ctx: EngineContext,
  patientId: string,
  accounts: readonly Reference[],
  async: boolean
): Promise<void> {
  const params: Parameters = {
    resourceType: 'Parameters',
    parameter: [
      ...accounts.map((a) => ({ name: 'accounts', valueReference: { reference: a.reference } })),
      { name: 'propagate', valueBoolean: true },
    ],
  };
  const url = ctx.client.fhirUrl('Patient', patientId, '$set-accounts');
  let result: unknown;
  try {
    result = await ctx.client.post(
      url,
      params,
      undefined,
      async
        ? { headers: { Prefer: 'respond-async' }, pollStatusOnAccepted: true, pollStatusPeriod: 250, signal: AbortSignal.timeout(ASYNC_TIMEOUT_MS) }
        : undefined
    );
  } catch (err) {
    if (err instanceof Error && err.name === 'TimeoutError') {
      throw new AppError(
        'server_error',
        'The server is still applying the change to this patient’s records. Check the patient again in a few minutes.'
      );
    }
    throw toAppError(err, 'change the patient’s clinics');
  }
  const job = result as { resourceType?: string; status?: string; output?: Parameters };
  if (job.resourceType === 'AsyncJob' && job.status !== 'completed') {
    const outcome = job.output?.parameter?.find((p) => p.name === 'outcome')?.resource;
    throw new AppError(
      'server_error',
      'The server could not apply the change to all of this patient’s records. Try again; if it keeps failing, see Details.',
      `AsyncJob ${job.status}: ${JSON.stringify(outcome ?? {}).slice(0, 400)}`
    );
  }
}
