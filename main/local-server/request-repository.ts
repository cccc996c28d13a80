import type { FhirRepository } from '@medplum/fhir-router';
import { quotaMembershipId } from './on-behalf-of';
import { QuotaRepository } from './quota-repository';
import { createPolicyRepository } from './repo/policy-repository';
import { resolveAccessPolicies } from './repo/resolve-access';
import type { ServerContext, Session } from './server-context';

/**
 * The repository one request works through: a project admin sees the project through the
 * accounts layer; anyone else always through the policy layer on top of it. A membership that
 * names no policy gets Medplum's default there (every type but the project-admin ones: Project,
 * ProjectMembership, User, ...), never the accounts layer bare. The quota, when on, wraps the
 * outside so every interaction is charged to the membership.
 */
export async function buildRequestRepository(ctx: ServerContext, session: Session): Promise<FhirRepository> {
  let repo: FhirRepository = ctx.accountsRepo;
  if (!session.membership.admin) {
    repo = createPolicyRepository(ctx.accountsRepo, {
      membership: session.membership,
      accessPolicies: (await resolveAccessPolicies(ctx.store, session.membership)) ?? [],
      projectId: session.project.id,
    });
  }
  if (ctx.quota) {
    repo = new QuotaRepository(repo, ctx.quota, quotaMembershipId(session));
  }
  return repo;
}
