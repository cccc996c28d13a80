import { allOk } from '@medplum/core';
import type { ProjectMembership } from '@medplum/fhirtypes';
import { HttpError, sendJson, sendOutcome } from './http-io';
import type { InviteBody } from './invite';
import type { ClientBody } from './client-application';
import { createClientApplication } from './client-application';
import { inviteMember } from './invite';
import { matchPath } from './path-match';
import type { HttpRequest, ServerContext } from './server-context';
import { requireProjectAdmin, requireSession } from './session';

/**
 * `admin/projects/:projectId[...]`: invite, client, members (GET/POST/DELETE) and the project summary.
 * Project admins of that project only; anyone else gets 403.
 */
export async function handleAdminRoute(ctx: ServerContext, req: HttpRequest): Promise<boolean> {
  const projectParams = matchPath('admin/projects/:projectId', req.path);
  const inviteParams = matchPath('admin/projects/:projectId/invite', req.path);
  const clientParams = matchPath('admin/projects/:projectId/client', req.path);
  const memberParams = matchPath('admin/projects/:projectId/members/:membershipId', req.path);
  const params = projectParams ?? inviteParams ?? clientParams ?? memberParams;
  if (!params) {
    return false;
  }
  const session = await requireSession(ctx, req);
  requireProjectAdmin(session, params.projectId);
  const project = session.project;

  if (inviteParams && req.method === 'POST') {
    sendJson(req.res, 200, await inviteMember(ctx, project, (req.body ?? {}) as InviteBody), {}, 'application/fhir+json');
    return true;
  }
  if (clientParams && req.method === 'POST') {
    sendJson(req.res, 200, await createClientApplication(ctx, project, (req.body ?? {}) as ClientBody), {}, 'application/fhir+json');
    return true;
  }
  if (projectParams && req.method === 'GET') {
    const members = (await ctx.store.searchResources<ProjectMembership>({ resourceType: 'ProjectMembership' })).filter(
      (m) => m.project?.reference === `Project/${project.id}`
    );
    sendJson(req.res, 200, { project: { id: project.id, name: project.name }, members });
    return true;
  }
  if (memberParams) {
    const membershipId = memberParams.membershipId as string;
    const existing = await ctx.store.readResource<ProjectMembership>('ProjectMembership', membershipId);
    if (existing.project?.reference !== `Project/${project.id}`) {
      throw new HttpError(403, 'Forbidden');
    }
    if (req.method === 'GET') {
      sendJson(req.res, 200, existing, {}, 'application/fhir+json');
      return true;
    }
    if (req.method === 'POST') {
      // Like the real server: the whole membership, and If-Match is not consulted.
      const body = req.body as ProjectMembership | undefined;
      if (body?.resourceType !== 'ProjectMembership' || body.id !== membershipId) {
        throw new HttpError(403, 'Forbidden');
      }
      // Written by the caller (Medplum records the signing-in admin as the version's author).
      const author = (session.authenticatedMembership ?? session.membership).profile;
      const { onBehalfOf: _previous, ...meta } = body.meta ?? {};
      sendJson(req.res, 200, await ctx.store.updateResource({ ...body, meta: { ...meta, ...(author ? { author } : {}) } }), {}, 'application/fhir+json');
      return true;
    }
    if (req.method === 'DELETE') {
      if (project.owner?.reference && project.owner.reference === existing.user?.reference) {
        throw new HttpError(400, 'Cannot delete the owner of the project');
      }
      await ctx.store.deleteResource('ProjectMembership', membershipId);
      sendOutcome(req.res, allOk);
      return true;
    }
  }
  throw new HttpError(405, 'Method not allowed');
}
