import { searchAll } from '../engines/all-pages';
import type { EngineContext } from '../engines/engine-context';
import type { ClinicNames } from './views';

/** Every clinic's name by id, read over all pages once per request. */
export async function readClinicNames(ctx: EngineContext): Promise<ClinicNames> {
  const clinics = await searchAll(ctx.client, 'Organization', { _elements: 'name' }, 'read the clinics', ctx.pageSize);
  return new Map(clinics.map((clinic) => [clinic.id, clinic.name ?? `Clinic ${clinic.id}`]));
}
