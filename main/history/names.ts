/** Names for references, read once each per resolver (a page of the timeline shares one). */
import type { MedplumClient } from '@medplum/core';
import { formatHumanName } from '@medplum/core';
import type { HumanName, Resource } from '@medplum/fhirtypes';
import type { NamedReference } from '../../preload/api/schemas/history';
import { fresh } from '../engines/engine-context';

export interface NameResolver {
  name(reference: string): Promise<NamedReference>;
  /** Requests made so far. */
  readonly requests: number;
}

/** How the timeline names `meta.author: {reference: 'system'}`. */
const SERVER_AUTHOR_NAME = 'Medplum';

const NAMED_TYPES = ['Patient', 'Practitioner', 'Organization', 'Consent', 'AccessPolicy', 'ProjectMembership'];

function displayOf(resource: Resource): string | undefined {
  if ('name' in resource) {
    const name = resource.name as unknown;
    if (typeof name === 'string') return name;
    if (Array.isArray(name) && name[0]) return formatHumanName(name[0] as HumanName) || undefined;
  }
  if (resource.resourceType === 'Consent') return 'the patient’s consent';
  return undefined;
}

export function createNameResolver(client: MedplumClient): NameResolver {
  const cache = new Map<string, Promise<NamedReference>>();
  let requests = 0;
  const read = async (reference: string): Promise<NamedReference> => {
    // The server's own writes (an invite, the sandbox's seed): named as the product the
    // administrator knows, not as a technical "system" (docs/history.md).
    if (reference === 'system') return { reference, display: SERVER_AUTHOR_NAME };
    const [type, id] = reference.split('/');
    if (!type || !id || !NAMED_TYPES.includes(type)) return { reference, display: reference };
    try {
      requests++;
      const resource = (await client.readResource(type as 'Patient', id, fresh())) as Resource;
      if (resource.resourceType === 'ProjectMembership' && resource.profile?.reference) {
        return { reference, display: (await resolver.name(resource.profile.reference)).display };
      }
      return { reference, display: displayOf(resource) ?? reference };
    } catch {
      // Deleted, or not readable by this administrator: the reference is all there is to show.
      return { reference, display: reference };
    }
  };
  const resolver: NameResolver = {
    name(reference) {
      let found = cache.get(reference);
      if (!found) {
        found = read(reference);
        cache.set(reference, found);
      }
      return found;
    },
    get requests() {
      return requests;
    },
  };
  return resolver;
}
