import type { SearchRequest, WithId } from '@medplum/core';
import type { FhirRepository, SearchOptions } from '@medplum/fhir-router';
import type { Bundle, Resource } from '@medplum/fhirtypes';

/**
 * A visibility test handed down with a search (inside its options), for a store that can apply it
 * while it searches: before sorting, paging and counting, and without copying what it drops. A
 * store that applied it sets `applied`; wrappers in between must forward the options.
 */
export interface VisibilityFilter {
  readonly visible: (resource: WithId<Resource>) => boolean;
  applied: boolean;
}

export interface VisibilitySearchOptions extends SearchOptions {
  readonly visibility?: VisibilityFilter;
}

/**
 * Searches keeping only what `visible` accepts, then pages. So `_count=20` gives 20 visible
 * resources and `total` counts visible ones only: filtering a page after the fact would give short
 * pages and a total that leaks how many hidden resources match. The order is the one the caller
 * asked for (a stable sort of the visible matches is the visible part of the sorted matches).
 * `_include`/`_revinclude` are the caller's job (they must go through the access checks too).
 *
 * The store (LocalMemoryStore) applies `visible` itself, so only the returned page is copied. If
 * the options do not reach such a store, nothing says `applied` and we fall back to fetching every
 * match and filtering here. `visible` may see stored resources and must not change them.
 */
export async function searchVisible<T extends Resource>(
  base: FhirRepository,
  request: SearchRequest<T>,
  visible: (resource: WithId<T>) => boolean
): Promise<Bundle<WithId<T>>> {
  const stripped: SearchRequest<T> = { ...request, include: undefined, revInclude: undefined };
  const visibility: VisibilityFilter = {
    visible: visible as (resource: WithId<Resource>) => boolean,
    applied: false,
  };
  const options: VisibilitySearchOptions = { visibility };
  const bundle = await base.search<T>(stripped, options);
  if (visibility.applied && bundle.total !== undefined) {
    const entry = bundle.entry?.filter((e) => e.resource && visible(e.resource)); // belt and braces
    return { resourceType: 'Bundle', type: 'searchset', ...(entry?.length ? { entry } : undefined), total: bundle.total };
  }

  const offset = request.offset ?? 0;
  const all = await base.search<T>({ ...stripped, offset: 0, count: Number.MAX_SAFE_INTEGER });
  const matches = (all.entry ?? []).filter((entry) => entry.resource && visible(entry.resource));
  const page = matches.slice(offset, request.count === undefined ? undefined : offset + request.count);
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(page.length ? { entry: page } : undefined),
    total: matches.length,
  };
}
