/**
 * One page of the project's patients (any clinic), with the total, in one round trip. Search text
 * matches a name, or an identifier value such as an MRN.
 */
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { fresh, type EngineContext } from '../engines/engine-context';
import { PATIENT_SORT_PARAM, type PatientSort, searchParamsFor } from '../engines/rosters';
import { toAppError } from '../engines/server-errors';

export async function listProjectPatients(
  ctx: EngineContext,
  page: { offset: number; count: number; search?: string | undefined; sort?: PatientSort | undefined },
): Promise<{ patients: (Patient & { id: string })[]; total: number }> {
  try {
    const bundle: Bundle<Patient> = await ctx.client.search(
      'Patient',
      { ...searchParamsFor(page.search), _sort: PATIENT_SORT_PARAM[page.sort ?? 'name'], _count: String(page.count), _offset: String(page.offset), _total: 'accurate' },
      fresh(),
    );
    const patients = (bundle.entry ?? []).flatMap((entry) => (entry.resource?.id ? [entry.resource as Patient & { id: string }] : []));
    return { patients, total: bundle.total ?? patients.length };
  } catch (error) {
    throw toAppError(error, 'read the patients');
  }
}
