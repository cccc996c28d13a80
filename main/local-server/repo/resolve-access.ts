import { badRequest, getReferenceString, OperationOutcomeError, resolveId } from '@medplum/core';
import type { FhirRepository } from '@medplum/fhir-router';
import type {
  AccessPolicy,
  ProjectMembership,
  ProjectMembershipAccess,
  ProjectMembershipAccessParameter,
} from '@medplum/fhirtypes';

/**
 * The membership's access policies with their parameters filled in, one per entry: the base
 * `accessPolicy` first, then each `access[]` entry in order (so the last entry's compartment is the
 * one new resources get). `undefined` when the membership has neither: on Medplum that member sees
 * the whole project except the project-admin types (combineAccessPolicies adds that default). Read
 * per request, so membership changes apply to tokens already issued.
 */
export async function resolveAccessPolicies(
  systemRepo: FhirRepository,
  membership: ProjectMembership
): Promise<AccessPolicy[] | undefined> {
  const entries: ProjectMembershipAccess[] = [];
  if (membership.accessPolicy) {
    entries.push({ policy: membership.accessPolicy });
  }
  entries.push(...(membership.access ?? []));
  if (entries.length === 0) {
    return undefined;
  }
  const policies = new Map<string, Promise<AccessPolicy>>();
  return Promise.all(
    entries.map(async (entry) => {
      const reference = getReferenceString(entry.policy) ?? '';
      let policy = policies.get(reference);
      if (!policy) {
        policy = readPolicy(systemRepo, entry);
        policies.set(reference, policy);
      }
      return substituteParameters(await policy, parametersOf(entry, membership));
    })
  );
}

const INVALID_POLICY_MESSAGE =
  'Cannot authenticate: Invalid access policy configuration. ' +
  'Please contact your administrator to update your project membership.';

async function readPolicy(systemRepo: FhirRepository, entry: ProjectMembershipAccess): Promise<AccessPolicy> {
  try {
    return await systemRepo.readReference(entry.policy);
  } catch {
    // Medplum's wording: do not say which policy is missing.
    throw new OperationOutcomeError(badRequest(INVALID_POLICY_MESSAGE));
  }
}

/** The entry's own parameters, then `%profile` and (unless given) `%patient` = the profile, as Medplum does. */
function parametersOf(
  entry: ProjectMembershipAccess,
  membership: ProjectMembership
): ProjectMembershipAccessParameter[] {
  const params = [...(entry.parameter ?? [])];
  params.push({ name: 'profile', valueReference: membership.profile });
  if (!params.some((p) => p.name === 'patient')) {
    params.push({ name: 'patient', valueReference: membership.profile });
  }
  return params;
}

/**
 * Replaces `%name` (and `%name.id`) everywhere in the policy (compartment, criteria, ...), as the
 * server does on the policy's JSON. Longer names go first so `%org` cannot eat `%organization`.
 */
function substituteParameters(policy: AccessPolicy, params: ProjectMembershipAccessParameter[]): AccessPolicy {
  let json = JSON.stringify(policy);
  const ordered = [...params].sort((a, b) => b.name.length - a.name.length);
  for (const param of ordered) {
    if (param.valueString !== undefined) {
      json = json.replaceAll(`%${param.name}`, escapeJson(param.valueString));
    } else if (param.valueReference?.reference) {
      json = json.replaceAll(`%${param.name}.id`, escapeJson(resolveId(param.valueReference) ?? ''));
      json = json.replaceAll(`%${param.name}`, escapeJson(param.valueReference.reference));
    }
  }
  return JSON.parse(json) as AccessPolicy;
}

/** A value as it must appear inside a JSON string literal. */
function escapeJson(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}
