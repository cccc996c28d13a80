import type { SearchRequest, WithId } from '@medplum/core';
import type { FhirRepository } from '@medplum/fhir-router';
import type { Bundle, Resource } from '@medplum/fhirtypes';

/**
 * Runs the search without paging, keeps what `visible` accepts, then pages. So `_count=20` gives
 * 20 visible resources and `total` counts visible ones only: filtering a page after the fact would
 * give short pages and a total that leaks how many hidden resources match. The base store sorts
 * before it pages, so the order is the one the caller asked for. `_include`/`_revinclude` are the
 * caller's job (they must go through the access checks too).
 */
export async function searchVisible<T extends Resource>(
  base: FhirRepository,
  request: SearchRequest<T>,
  visible: (resource: WithId<T>) => boolean
): Promise<Bundle<WithId<T>>> {
  const offset = request.offset ?? 0;
  const all = await base.search<T>({
    ...request,
    offset: 0,
    count: Number.MAX_SAFE_INTEGER,
    include: undefined,
    revInclude: undefined,
  });
  const matches = (all.entry ?? []).filter((entry) => entry.resource && visible(entry.resource));
  const page = matches.slice(offset, request.count === undefined ? undefined : offset + request.count);
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(page.length ? { entry: page } : undefined),
    total: matches.length,
  };
}
