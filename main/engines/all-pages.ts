import type { MedplumClient, WithId } from '@medplum/core';
import type { Bundle, BundleEntry, ExtractResource, ProjectMembership, ResourceType } from '@medplum/fhirtypes';
import { AppError } from '../errors/app-error';
import { fresh } from './engine-context';
import { toAppError } from './server-errors';

/** The largest page Medplum serves. */
export const MAX_PAGE = 1000;

/**
 * Every match of a search, following `next` links to the end. Sorted by `_lastUpdated` so that a
 * real Medplum server pages with a cursor (offset paging stops at 10,000 there).
 */
export async function searchAll<RT extends ResourceType>(
  client: MedplumClient,
  resourceType: RT,
  query: Record<string, string>,
  action: string,
  pageSize = MAX_PAGE
): Promise<WithId<ExtractResource<RT>>[]> {
  const all: WithId<ExtractResource<RT>>[] = [];
  try {
    for await (const page of client.searchResourcePages(
      resourceType,
      { _sort: '_lastUpdated', _count: String(pageSize), ...query },
      fresh()
    )) {
      all.push(...page);
    }
  } catch (err) {
    throw toAppError(err, action);
  }
  return all;
}

/** Every membership of the project (admins included), over all pages. */
export function allMemberships(client: MedplumClient, pageSize?: number): Promise<WithId<ProjectMembership>[]> {
  return searchAll(client, 'ProjectMembership', {}, 'read the project memberships', pageSize);
}

/**
 * Runs GET requests in batch bundles (one round trip per `size` requests) and returns each
 * entry's response body in order. A failed entry fails the whole call.
 */
export async function batchGet<T>(client: MedplumClient, urls: readonly string[], action: string, size = 50): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < urls.length; start += size) {
    const chunk = urls.slice(start, start + size);
    let response: Bundle;
    try {
      response = await client.executeBatch({
        resourceType: 'Bundle',
        type: 'batch',
        entry: chunk.map((url) => ({ request: { method: 'GET', url } })),
      });
    } catch (err) {
      throw toAppError(err, action);
    }
    chunk.forEach((url, i) => {
      const entry: BundleEntry | undefined = response.entry?.[i];
      if (!entry?.response?.status?.startsWith('2') || !entry.resource) {
        throw new AppError('server_error', `The server could not ${action}. Try again; if it keeps failing, see Details.`, `${url}: ${entry?.response?.status ?? 'no response'}`);
      }
      results.push(entry.resource as T);
    });
  }
  return results;
}
