import type { AccessPolicy, Organization, ProjectMembership, ProjectMembershipAccess, Reference } from '@medplum/fhirtypes';

/** The `ProjectMembership.access` parameter that names a clinic (`%organization` in the policy). */
export const ORGANIZATION_PARAMETER = 'organization';

/** The identifier that labels a membership on Medplum's membership chooser (strict isolation). */
export const MEMBERSHIP_LABEL_SYSTEM = 'https://medplum.com/identifier/label';

export function clinicReference(clinicId: string): string {
  return `Organization/${clinicId}`;
}

/** The clinic an access entry grants, if it is a clinic entry. */
export function clinicOfEntry(entry: ProjectMembershipAccess): string | undefined {
  return entry.parameter?.find((p) => p.name === ORGANIZATION_PARAMETER)?.valueReference?.reference;
}

/** Every clinic reference ("Organization/<id>") a membership grants, in order, without repeats. */
export function clinicsOf(membership: ProjectMembership): string[] {
  const clinics: string[] = [];
  for (const entry of membership.access ?? []) {
    const clinic = clinicOfEntry(entry);
    if (clinic && !clinics.includes(clinic)) {
      clinics.push(clinic);
    }
  }
  return clinics;
}

export function accessEntry(policy: Reference<AccessPolicy>, clinic: Reference<Organization>): ProjectMembershipAccess {
  return {
    policy: { reference: policy.reference },
    parameter: [{ name: ORGANIZATION_PARAMETER, valueReference: { reference: clinic.reference, ...(clinic.display ? { display: clinic.display } : {}) } }],
  };
}

/**
 * The membership with the clinic added (if missing) and the MSO policy as its base policy: the base
 * policy is what keeps a membership whose last clinic is removed from seeing the whole project.
 */
export function withClinic(
  membership: ProjectMembership,
  policy: Reference<AccessPolicy>,
  clinic: Reference<Organization>
): ProjectMembership {
  const access = [...(membership.access ?? [])];
  if (!access.some((entry) => clinicOfEntry(entry) === clinic.reference)) {
    access.push(accessEntry(policy, clinic));
  }
  return { ...withBasePolicy(membership, policy), access };
}

/** The membership without any entry for the clinic; the base policy stays (or is put back). */
export function withoutClinic(
  membership: ProjectMembership,
  policy: Reference<AccessPolicy>,
  clinicRef: string
): ProjectMembership {
  const access = (membership.access ?? []).filter((entry) => clinicOfEntry(entry) !== clinicRef);
  const result: ProjectMembership = { ...withBasePolicy(membership, policy), access };
  if (access.length === 0) {
    // An empty array and an absent one mean the same; absent is what servers keep.
    delete result.access;
  }
  return result;
}

export function withBasePolicy(membership: ProjectMembership, policy: Reference<AccessPolicy>): ProjectMembership {
  if (membership.accessPolicy?.reference === policy.reference) {
    return membership;
  }
  return { ...membership, accessPolicy: { reference: policy.reference } };
}

/** True when the membership could see the whole project: neither a base policy nor an access entry. */
export function grantsWholeProject(membership: ProjectMembership): boolean {
  return !membership.admin && !membership.accessPolicy && !membership.access?.length;
}

export function labelOf(membership: ProjectMembership): string | undefined {
  return membership.identifier?.find((i) => i.system === MEMBERSHIP_LABEL_SYSTEM)?.value;
}

export function withLabel(membership: ProjectMembership, label: string): ProjectMembership {
  const others = (membership.identifier ?? []).filter((i) => i.system !== MEMBERSHIP_LABEL_SYSTEM);
  return { ...membership, identifier: [...others, { system: MEMBERSHIP_LABEL_SYSTEM, value: label }] };
}
