import { projectAdminResourceTypes } from '@medplum/core';
import type { AccessPolicy, AccessPolicyResource, ProjectMembership } from '@medplum/fhirtypes';

const READ_ONLY: AccessPolicyResource['interaction'] = ['search', 'read', 'history', 'vread'];

/**
 * One AccessPolicy for the member, built as Medplum's `buildAccessPolicy` and
 * `applyProjectAdminAccessPolicy` do: every entry's resource rules side by side (a resource is
 * allowed when any rule allows it, so several clinics add up), the compartment of the LAST entry
 * that has one (what new resources are stamped with), and the project-admin types removed for
 * non-admins.
 */
export function combineAccessPolicies(
  membership: ProjectMembership,
  policies: readonly AccessPolicy[],
  projectId: string
): AccessPolicy {
  let compartment: AccessPolicy['compartment'];
  const resource: AccessPolicyResource[] = [];
  for (const policy of policies) {
    if (policy.compartment) {
      compartment = policy.compartment;
    }
    for (const rule of policy.resource ?? []) {
      resource.push(rule.readonly && !rule.interaction ? { ...rule, interaction: READ_ONLY } : rule);
    }
  }
  if (!membership.access?.length && !membership.accessPolicy) {
    // No policy at all: the whole project (Medplum's legacy behaviour, kept on purpose there too).
    resource.push({ resourceType: '*' });
  }
  // Medplum grants these to everyone for old clients' sake.
  for (const resourceType of ['SearchParameter', 'StructureDefinition']) {
    if (!resource.some((r) => r.resourceType === resourceType)) {
      resource.push({ resourceType, readonly: true, interaction: READ_ONLY });
    }
  }
  const withoutAdminTypes = resource.filter((r) => !projectAdminResourceTypes.includes(r.resourceType));
  if (membership.admin) {
    withoutAdminTypes.push(...projectAdminRules(projectId));
  }
  return { resourceType: 'AccessPolicy', compartment, resource: withoutAdminTypes };
}

/** What a project admin may do with the admin types (Medplum's applyProjectAdminAccessPolicy). */
function projectAdminRules(projectId: string): AccessPolicyResource[] {
  return [
    {
      resourceType: 'Project',
      criteria: `Project?_id=${projectId}`,
      interaction: ['read', 'vread', 'update', 'history', 'create', 'search'],
    },
    { resourceType: 'ProjectMembership' },
    // The console's admins manage the MSO policy itself.
    { resourceType: 'AccessPolicy' },
    { resourceType: 'UserSecurityRequest', readonly: true, interaction: READ_ONLY },
    { resourceType: 'User' },
  ];
}
