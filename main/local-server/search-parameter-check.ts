import type { SearchRequest } from '@medplum/core';
import { badRequest, getSearchParameter, OperationOutcomeError } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';

// Accepted though no SearchParameter defines them (Medplum handles them itself).
const SPECIAL_PARAMETERS = new Set(['_filter', '_text', '_content', '_list', '_type']);

/**
 * Refuses, as Medplum does with 400 "Unknown search parameter: X", a search whose filters or
 * `_sort` name a parameter the type does not have, where MemoryRepository would ignore it and
 * return everything (or nothing). Chained (`subject.name`), `_has:` and typed (`subject:Patient`)
 * codes are left to the search itself.
 */
export function requireKnownSearchParameters(searchRequest: SearchRequest): void {
  const codes = [...(searchRequest.filters ?? []).map((f) => f.code), ...(searchRequest.sortRules ?? []).map((r) => r.code)];
  for (const code of codes) {
    if (code.includes('.') || code.includes(':') || SPECIAL_PARAMETERS.has(code)) {
      continue;
    }
    if (!getSearchParameter(searchRequest.resourceType, code)) {
      throw new OperationOutcomeError(badRequest(`Unknown search parameter: ${code}`));
    }
  }
}

/** `_elements`: each resource cut to the named elements, plus `resourceType`, `id` and `meta`. */
export function withOnlyElements<T extends Resource>(resource: T, fields: readonly string[] | undefined): T {
  if (!fields?.length) {
    return resource;
  }
  const kept = new Set(['resourceType', 'id', 'meta', ...fields]);
  return Object.fromEntries(Object.entries(resource).filter(([key]) => kept.has(key))) as T;
}
