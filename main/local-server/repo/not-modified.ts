import { stringify } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';

/** Meta fields every write stamps anew: an update that differs only in these changes nothing. */
const STAMPED_META = ['versionId', 'lastUpdated', 'author', 'onBehalfOf'] as const;

function comparable(resource: Resource): unknown {
  const meta: Record<string, unknown> = { ...resource.meta };
  for (const field of STAMPED_META) delete meta[field];
  // stringify (as Medplum's own check does) drops empty values, so `[]` and a missing field compare equal.
  return JSON.parse(stringify({ ...resource, meta }));
}

/**
 * Medplum (`repo.ts` `isNotModified`) writes no version for an update that changes nothing: the
 * existing version comes back, with its versionId, author and time. The history then holds only
 * real changes, which is what an access timeline reads.
 */
export function isNotModified(previous: Resource | undefined, candidate: Resource): boolean {
  if (!previous) return false;
  return JSON.stringify(sortKeys(comparable(previous))) === JSON.stringify(sortKeys(comparable(candidate)));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]));
  }
  return value;
}
