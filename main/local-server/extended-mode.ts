import type { Resource } from '@medplum/fhirtypes';

// Medplum returns these meta fields only to clients that send `X-Medplum: extended`
// (`accounts` and `onBehalfOf` it returns to everyone).
const EXTENDED_META_FIELDS = ['project', 'compartment', 'account', 'author'] as const;

export function wantsExtendedMode(header: string | string[] | undefined): boolean {
  return (Array.isArray(header) ? header : [header]).some((value) => value?.toLowerCase() === 'extended');
}

/** Removes the extended meta fields from a resource and from any resources inside a Bundle. */
export function stripExtendedMeta<T>(body: T): T {
  if (!body || typeof body !== 'object') {
    return body;
  }
  const resource = body as unknown as Resource;
  const result = { ...resource } as Resource & { entry?: { resource?: Resource }[] };
  if (result.meta) {
    const meta = { ...result.meta } as Record<string, unknown>;
    for (const field of EXTENDED_META_FIELDS) {
      delete meta[field];
    }
    result.meta = meta;
  }
  if (result.resourceType === 'Bundle' && Array.isArray(result.entry)) {
    result.entry = result.entry.map((entry) => (entry.resource ? { ...entry, resource: stripExtendedMeta(entry.resource) } : entry));
  }
  return result as unknown as T;
}
