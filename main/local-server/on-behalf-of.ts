import type { WithId } from '@medplum/core';
import { forbidden, Operator, OperationOutcomeError } from '@medplum/core';
import type { ProjectMembership } from '@medplum/fhirtypes';
import type { HttpRequest, ServerContext, Session } from './server-context';

export const ON_BEHALF_OF_HEADER = 'x-medplum-on-behalf-of';

/**
 * `X-Medplum-On-Behalf-Of: ProjectMembership/<id>` (or that membership's profile, e.g.
 * `Practitioner/<id>`) on a project admin's request makes the request run as that membership, as
 * on Medplum: its access policy, its admin flag, its compartment for new resources. The quota
 * stays charged to the membership that signed in (`Session.authenticatedMembership`).
 * A non-admin sending the header gets 403; a profile with no membership in the project, 403;
 * a membership id that does not exist, 404.
 */
export async function applyOnBehalfOf(ctx: ServerContext, req: HttpRequest, session: Session): Promise<Session> {
  const header = req.raw.headers[ON_BEHALF_OF_HEADER];
  if (typeof header !== 'string' || !header) {
    return session;
  }
  if (!session.membership.admin) {
    throw new OperationOutcomeError(forbidden);
  }
  const actAs = await findMembership(ctx, session, header);
  return { ...session, membership: actAs, authenticatedMembership: session.membership };
}

async function findMembership(ctx: ServerContext, session: Session, header: string): Promise<WithId<ProjectMembership>> {
  const projectReference = `Project/${session.project.id}`;
  if (header.startsWith('ProjectMembership/')) {
    const membership = await ctx.accountsRepo.readReference<ProjectMembership>({ reference: header });
    if (membership.project?.reference !== projectReference) {
      throw new OperationOutcomeError(forbidden);
    }
    return membership;
  }
  const found = await ctx.accountsRepo.searchOne<ProjectMembership>({
    resourceType: 'ProjectMembership',
    filters: [
      { code: 'profile', operator: Operator.EQUALS, value: header },
      { code: 'project', operator: Operator.EQUALS, value: projectReference },
    ],
  });
  if (!found) {
    throw new OperationOutcomeError(forbidden);
  }
  return found;
}

/** The membership whose budget a request spends: the one that signed in, even when acting as another. */
export function quotaMembershipId(session: Session): string {
  return (session.authenticatedMembership ?? session.membership).id;
}
