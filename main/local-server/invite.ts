import type { ProfileResource, WithId } from '@medplum/core';
import { createReference, getReferenceString } from '@medplum/core';
import type {
  AccessPolicy,
  Practitioner,
  Project,
  ProjectMembership,
  ProjectMembershipAccess,
  Reference,
  User,
} from '@medplum/fhirtypes';
import { HttpError } from './http-io';
import { SYSTEM_AUTHOR } from './memory-store';
import { generateSecret } from './passwords';
import type { ServerContext } from './server-context';

/** The body of `POST admin/projects/:projectId/invite` (as MedplumClient.invite sends it). */
export interface InviteBody {
  readonly resourceType?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly email?: string;
  readonly externalId?: string;
  readonly password?: string;
  readonly sendEmail?: boolean;
  readonly scope?: 'project' | 'server';
  readonly membership?: Partial<ProjectMembership>;
  readonly upsert?: boolean;
  readonly forceNewMembership?: boolean;
  readonly accessPolicy?: Reference<AccessPolicy>;
  readonly access?: ProjectMembershipAccess[];
  readonly admin?: boolean;
}

const PROFILE_TYPES = ['Patient', 'Practitioner', 'RelatedPerson'];

/**
 * Invites a user the way Medplum's server does, including its sharp edges: an `upsert` merges a
 * template whose unset fields are explicitly undefined, so it replaces `access` and drops the
 * base `accessPolicy` (and `admin`) unless the request repeats them. No email is ever sent.
 */
export async function inviteMember(
  ctx: ServerContext,
  project: WithId<Project>,
  body: InviteBody
): Promise<WithId<ProjectMembership>> {
  validate(body);
  const email = body.email?.trim().toLowerCase();
  const user = await upsertUser(ctx, project, body, email);
  const profile = await upsertProfile(ctx, project, body, email);

  const template: Partial<ProjectMembership> = {
    externalId: body.externalId,
    accessPolicy: body.accessPolicy,
    access: body.access,
    admin: body.admin,
    ...body.membership,
  };

  if (body.forceNewMembership) {
    return createMembership(ctx, project, user, profile, template);
  }
  const existing = (await ctx.store.searchResources<ProjectMembership>({ resourceType: 'ProjectMembership' })).find(
    (m) => m.user?.reference === getReferenceString(user) && m.project?.reference === getReferenceString(project)
  );
  if (!existing) {
    return createMembership(ctx, project, user, profile, template);
  }
  if (!body.upsert) {
    throw new HttpError(409, 'User is already a member of this project');
  }
  if (existing.profile?.reference !== getReferenceString(profile)) {
    throw new HttpError(409, 'User is already a member of this project with a different profile');
  }
  return ctx.store.updateResource<ProjectMembership>({
    ...existing,
    ...template,
    resourceType: 'ProjectMembership',
    id: existing.id,
    meta: { ...existing.meta, author: SYSTEM_AUTHOR },
    project: createReference(project),
    user: createReference(user),
    profile: createReference(profile),
  });
}

function validate(body: InviteBody): void {
  if (!body.resourceType || !PROFILE_TYPES.includes(body.resourceType)) {
    throw new HttpError(400, 'Resource type is required');
  }
  if (!body.firstName) {
    throw new HttpError(400, 'First name is required');
  }
  if (!body.lastName) {
    throw new HttpError(400, 'Last name is required');
  }
  if (!body.email && !body.externalId) {
    throw new HttpError(400, 'Either email or externalId is required');
  }
}

async function upsertUser(
  ctx: ServerContext,
  project: WithId<Project>,
  body: InviteBody,
  email: string | undefined
): Promise<WithId<User>> {
  const projectScoped = body.resourceType === 'Patient' || !!body.externalId || body.scope === 'project';
  if (email) {
    const users = await ctx.store.searchResources<User>({ resourceType: 'User' });
    const existing = users.find(
      (u) =>
        u.email?.toLowerCase() === email &&
        (projectScoped ? u.project?.reference === getReferenceString(project) : !u.project)
    );
    if (existing) {
      return existing;
    }
  }
  const user = await ctx.store.createResource<User>({
    resourceType: 'User',
    meta: projectScoped ? { project: project.id } : undefined,
    firstName: body.firstName as string,
    lastName: body.lastName as string,
    email,
    externalId: body.externalId,
    project: projectScoped ? createReference(project) : undefined,
  });
  ctx.auth.setPassword(user.id, body.password ?? generateSecret(16));
  return user;
}

async function upsertProfile(
  ctx: ServerContext,
  project: WithId<Project>,
  body: InviteBody,
  email: string | undefined
): Promise<WithId<ProfileResource>> {
  if (body.membership?.profile) {
    const profile = await ctx.store.readReference(body.membership.profile as Reference<ProfileResource>).catch(() => {
      throw new HttpError(400, 'Profile not found');
    });
    if (profile.resourceType !== body.resourceType) {
      throw new HttpError(400, 'Profile resourceType does not match request');
    }
    return profile;
  }
  if (email) {
    const candidates = await ctx.store.searchResources<ProfileResource>({
      resourceType: body.resourceType as ProfileResource['resourceType'],
    });
    const existing = candidates.find(
      (p) => p.meta?.project === project.id && p.telecom?.some((t) => t.system === 'email' && t.value === email)
    );
    if (existing) {
      return existing;
    }
  }
  // Created through the accounts layer so it gets the project compartment like any admin create.
  return ctx.accountsRepo.createResource<ProfileResource>({
    resourceType: body.resourceType,
    meta: { project: project.id },
    name: [{ given: [body.firstName as string], family: body.lastName }],
    telecom: email ? [{ system: 'email', use: 'work', value: email }] : undefined,
  } as Practitioner);
}

function createMembership(
  ctx: ServerContext,
  project: WithId<Project>,
  user: WithId<User>,
  profile: WithId<ProfileResource>,
  template: Partial<ProjectMembership>
): Promise<WithId<ProjectMembership>> {
  return ctx.store.createResource<ProjectMembership>({
    ...template,
    resourceType: 'ProjectMembership',
    meta: { project: project.id },
    project: createReference(project),
    user: createReference(user),
    profile: createReference(profile),
  });
}
