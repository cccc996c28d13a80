import type { SearchRequest, WithId } from '@medplum/core';
import type { FhirRepository, SearchOptions } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';

/**
 * A search over several types at once (`_type=Observation,Encounter`, the patient compartment),
 * which MemoryRepository does not do: one search per type, results concatenated in the order of
 * `types`, then paged; `total` is the sum. One call for the caller, so a quota wrapper charges
 * one search, as the real server does for `$set-accounts`. `options` go to every per-type search
 * (a visibility filter the store applies there holds for the concatenation too).
 */
export async function searchTypes<T extends Resource>(
  base: FhirRepository,
  request: SearchRequest<T>,
  options?: SearchOptions
): Promise<Bundle<WithId<T>>> {
  const matches: BundleEntry<WithId<T>>[] = [];
  for (const resourceType of request.types ?? []) {
    const bundle = await base.search<T>({
      ...request,
      resourceType,
      types: undefined,
      offset: 0,
      count: Number.MAX_SAFE_INTEGER,
      include: undefined,
      revInclude: undefined,
    }, options);
    matches.push(...(bundle.entry ?? []));
  }
  const offset = request.offset ?? 0;
  const page = matches.slice(offset, request.count === undefined ? undefined : offset + request.count);
  return { resourceType: 'Bundle', type: 'searchset', ...(page.length ? { entry: page } : undefined), total: matches.length };
}
