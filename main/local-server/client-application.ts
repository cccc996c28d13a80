import type { WithId } from '@medplum/core';
import { createReference } from '@medplum/core';
import type { AccessPolicy, ClientApplication, Project, ProjectMembership, Reference } from '@medplum/fhirtypes';
import { HttpError } from './http-io';
import { generateSecret } from './passwords';
import type { ServerContext } from './server-context';

/** The body of `POST admin/projects/:projectId/client`. */
export interface ClientBody {
  readonly name?: string;
  readonly description?: string;
  readonly redirectUri?: string;
  readonly accessPolicy?: Reference<AccessPolicy>;
}

/**
 * A ClientApplication with a secret and its own membership, usable with client_credentials.
 * The secret is in this answer only: the stored ClientApplication has none and the server keeps
 * its hash, so neither a FHIR read nor the data file can give it away.
 */
export async function createClientApplication(
  ctx: ServerContext,
  project: WithId<Project>,
  body: ClientBody
): Promise<WithId<ClientApplication>> {
  if (!body.name) {
    throw new HttpError(400, 'Invalid name');
  }
  const client = await ctx.store.createResource<ClientApplication>({
    resourceType: 'ClientApplication',
    meta: { project: project.id },
    name: body.name,
    description: body.description,
    redirectUri: body.redirectUri,
  });
  const secret = generateSecret(32);
  ctx.auth.setClientSecret(client.id, secret);
  await ctx.store.createResource<ProjectMembership>({
    resourceType: 'ProjectMembership',
    meta: { project: project.id },
    project: createReference(project),
    user: createReference(client),
    profile: createReference(client),
    accessPolicy: body.accessPolicy,
  });
  return { ...client, secret };
}
