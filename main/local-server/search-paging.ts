import type { SearchRequest } from '@medplum/core';
import { allOk, formatSearchQuery, parseSearchRequest } from '@medplum/core';
import type { FhirRequest, FhirResponse, FhirRouteHandler, FhirRouter } from '@medplum/fhir-router';
import type { Bundle, BundleLink } from '@medplum/fhirtypes';
import { requireKnownSearchParameters, withOnlyElements } from './search-parameter-check';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 1000;

/**
 * Replaces fhir-router's type-level search handlers with ones that page like the real server:
 * 20 entries unless `_count` says otherwise, `self`/`next`/`previous` links, and `total` only
 * when `_total` asks for it. (MemoryRepository alone returns every match and always a total.)
 */
export function installPagedSearch(router: FhirRouter, fhirBaseUrl: () => string): void {
  const handler: FhirRouteHandler = async (req, repo) => {
    const resourceType = req.params.resourceType as string;
    const input = req.method === 'POST' ? toQuery(req.body) : req.query;
    const searchRequest = parseSearchRequest(resourceType, input);
    requireKnownSearchParameters(searchRequest);
    const bundle = await repo.search(withPaging(searchRequest));
    return [allOk, addPaging(bundle, withPaging(searchRequest), fhirBaseUrl())] as FhirResponse;
  };
  replaceRoute(router, 'GET', ':resourceType', handler);
  replaceRoute(router, 'POST', ':resourceType/_search', handler);
}

function toQuery(body: FhirRequest['body']): Record<string, string | string[] | undefined> {
  return body && typeof body === 'object' ? (body as Record<string, string | string[]>) : {};
}

function withPaging<T extends SearchRequest>(searchRequest: T): T {
  const count = Math.min(Math.max(searchRequest.count ?? DEFAULT_PAGE_SIZE, 0), MAX_PAGE_SIZE);
  return { ...searchRequest, count, offset: searchRequest.offset ?? 0 };
}

function addPaging<T extends Bundle>(bundle: T, searchRequest: SearchRequest, fhirBaseUrl: string): T {
  const count = searchRequest.count ?? DEFAULT_PAGE_SIZE;
  const offset = searchRequest.offset ?? 0;
  const returned = bundle.entry?.length ?? 0;
  const total = bundle.total;
  // `_count=0` (and `_summary=count`) asks for no entries: there is no next page of nothing.
  const hasNext = count > 0 && (total !== undefined ? offset + count < total : returned >= count);
  const urlFor = (pageOffset: number): string =>
    `${fhirBaseUrl}${searchRequest.resourceType}${formatSearchQuery({ ...searchRequest, offset: pageOffset })}`;

  const link: BundleLink[] = [{ relation: 'self', url: urlFor(offset) }];
  // As on Medplum: a page with no entries (`_count=0`, past the end) links only to itself.
  if (count > 0 && returned > 0) {
    link.push({ relation: 'first', url: urlFor(0) });
    if (hasNext) {
      link.push({ relation: 'next', url: urlFor(offset + count) });
    }
    if (offset > 0) {
      link.push({ relation: 'previous', url: urlFor(Math.max(0, offset - count)) });
    }
  }
  const wantsTotal = searchRequest.total === 'accurate' || searchRequest.total === 'estimate';
  const entry = bundle.entry?.map((e) => ({
    ...e,
    ...(e.resource ? { resource: withOnlyElements(e.resource, searchRequest.fields) } : undefined),
    fullUrl: e.resource ? `${fhirBaseUrl}${e.resource.resourceType}/${e.resource.id}` : e.fullUrl,
  }));
  const paged: T = { ...bundle, link, ...(entry ? { entry } : undefined) };
  if (!wantsTotal) {
    delete paged.total;
  }
  return paged;
}

/** fhir-router picks the first best match, so an added route cannot override: swap the handler. */
function replaceRoute(router: FhirRouter, method: 'GET' | 'POST', path: string, handler: FhirRouteHandler): void {
  const segments = path.split('/');
  const route = router.router.routes.find(
    (r) =>
      r.method === method &&
      r.path.length === segments.length &&
      r.path.every((segment, i) => (segment.param ? `:${segment.value}` : segment.value) === segments[i])
  );
  if (!route) {
    throw new Error(`fhir-router has no ${method} ${path} route to replace`);
  }
  route.handler = handler;
}
