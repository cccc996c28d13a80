import type { WithId } from '@medplum/core';
import { gone, OperationOutcomeError } from '@medplum/core';
import type { Project } from '@medplum/fhirtypes';
import { HttpError } from './http-io';
import { applyOnBehalfOf } from './on-behalf-of';
import type { HttpRequest, ServerContext, Session } from './server-context';

/** Resolves the bearer token to a session, or throws 401 (which makes MedplumClient refresh). */
export async function requireSession(ctx: ServerContext, req: HttpRequest): Promise<Session> {
  const login = ctx.auth.verifyAccessToken(req.raw.headers.authorization);
  if (login.membershipId && ctx.store.isDeleted('ProjectMembership', login.membershipId)) {
    // Medplum reads the token's membership and so answers 410 Gone once it has been deleted.
    throw new OperationOutcomeError(gone);
  }
  const membership = await ctx.auth.requireMembership(login);
  const projectId = membership.project?.reference?.split('/')[1];
  if (!projectId) {
    throw new HttpError(401, 'Membership has no project');
  }
  const project = (await ctx.store.readResource<Project>('Project', projectId)) as WithId<Project>;
  return applyOnBehalfOf(ctx, req, { login, membership, project });
}

export function requireProjectAdmin(session: Session, projectId: string | undefined): void {
  if (!session.membership.admin || session.project.id !== projectId) {
    throw new HttpError(403, 'Forbidden');
  }
}
