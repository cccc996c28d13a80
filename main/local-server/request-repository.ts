import type { FhirRepository } from '@medplum/fhir-router';
import { QuotaRepository } from './quota-repository';
import { createPolicyRepository } from './repo/policy-repository';
import { resolveAccessPolicies } from './repo/resolve-access';
import type { ServerContext, Session } from './server-context';

/**
 * The repository one request works through: a project admin sees the project through the
 * accounts layer; anyone else through their AccessPolicy on top of it, unless their membership
 * names no policy at all (which, as on the real server, means the whole project). The quota,
 * when on, wraps the outside so every interaction is charged to the membership.
 */
export async function buildRequestRepository(ctx: ServerContext, session: Session): Promise<FhirRepository> {
  let repo: FhirRepository = ctx.accountsRepo;
  if (!session.membership.admin) {
    const accessPolicies = await resolveAccessPolicies(ctx.store, session.membership);
    if (accessPolicies) {
      repo = createPolicyRepository(ctx.accountsRepo, {
        membership: session.membership,
        accessPolicies,
        projectId: session.project.id,
      });
    }
  }
  if (ctx.quota) {
    repo = new QuotaRepository(repo, ctx.quota, session.membership.id);
  }
  return repo;
}
