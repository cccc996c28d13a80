/** Every version of one resource, newest first (`<Type>/<id>/_history`), read from the server. */
import type { MedplumClient } from '@medplum/core';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { fresh } from '../engines/engine-context';
import { toAppError } from '../engines/server-errors';

/** Medplum's largest history page; a record with more versions shows its newest 1,000. */
export const HISTORY_PAGE = 1000;

export interface Version<T extends Resource> {
  readonly versionId: string;
  readonly time: string;
  /** Undefined for a deletion (Medplum lists it as an entry without a resource). */
  readonly resource: T | undefined;
  readonly author: string;
  readonly onBehalfOf?: string;
}

export async function readVersions<T extends Resource>(client: MedplumClient, type: T['resourceType'], id: string): Promise<Version<T>[]> {
  let bundle: Bundle<T>;
  try {
    bundle = (await client.get(client.fhirUrl(type, id, '_history').toString() + `?_count=${HISTORY_PAGE}`, fresh())) as Bundle<T>;
  } catch (err) {
    throw toAppError(err, 'read the record’s history');
  }
  const versions: Version<T>[] = [];
  for (const entry of bundle.entry ?? []) {
    const resource = entry.resource;
    const versionId = resource?.meta?.versionId ?? /_history\/([^/]+)$/.exec(entry.request?.url ?? '')?.[1];
    if (!versionId) continue;
    versions.push({
      versionId,
      time: resource?.meta?.lastUpdated ?? '',
      resource,
      // meta.author comes back only in extended mode, which MedplumClient asks for.
      author: resource?.meta?.author?.reference ?? 'unknown',
      ...(resource?.meta?.onBehalfOf?.reference ? { onBehalfOf: resource.meta.onBehalfOf.reference } : {}),
    });
  }
  return versions;
}
