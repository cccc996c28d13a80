import type { WithId } from '@medplum/core';
import { createReference } from '@medplum/core';
import type { FhirRepository } from '@medplum/fhir-router';
import { MemoryRepository } from '@medplum/fhir-router';
import type {
  AccessPolicy,
  Observation,
  Organization,
  Patient,
  Practitioner,
  ProjectMembership,
  ProjectMembershipAccess,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import { AccountsRepository } from '../../../../main/local-server/repo/accounts-repository';
import { createPolicyRepository } from '../../../../main/local-server/repo/policy-repository';
import { resolveAccessPolicies } from '../../../../main/local-server/repo/resolve-access';

export const PROJECT_ID = 'b4e5a0c2-0000-4000-8000-000000000001';

/** The MSO policy from the seed ("Multi-Tenant MSO with Medplum"). */
export const MSO_POLICY: AccessPolicy = {
  resourceType: 'AccessPolicy',
  name: 'Managed Service Organization Access Policy',
  compartment: { reference: '%organization' },
  resource: ['Patient', 'Observation', 'DiagnosticReport', 'Encounter', 'Communication'].map((resourceType) => ({
    resourceType,
    criteria: `${resourceType}?_compartment=%organization`,
  })),
};

/** A fresh store with the MSO policy, two clinics and a clinician profile. */
export async function createWorld(): Promise<{
  memory: MemoryRepository;
  admin: AccountsRepository;
  policy: WithId<AccessPolicy>;
  clinicA: WithId<Organization>;
  clinicB: WithId<Organization>;
  practitioner: WithId<Practitioner>;
}> {
  const memory = new MemoryRepository();
  const admin = new AccountsRepository(memory, PROJECT_ID);
  const policy = await admin.createResource(MSO_POLICY);
  const clinicA = await admin.createResource<Organization>({ resourceType: 'Organization', name: 'Clinic A' });
  const clinicB = await admin.createResource<Organization>({ resourceType: 'Organization', name: 'Clinic B' });
  const practitioner = await admin.createResource<Practitioner>({
    resourceType: 'Practitioner',
    name: [{ family: 'Clinician' }],
  });
  return { memory, admin, policy, clinicA, clinicB, practitioner };
}

/** An access entry enrolling the member in one clinic. */
export function enrollment(policy: WithId<AccessPolicy>, clinic: WithId<Organization>): ProjectMembershipAccess {
  return {
    policy: createReference(policy),
    parameter: [{ name: 'organization', valueReference: createReference(clinic) }],
  };
}

/** A clinician's membership the way the console writes it: MSO policy as base, one entry per clinic. */
export function clinicianMembership(
  policy: WithId<AccessPolicy>,
  profile: WithId<Practitioner>,
  clinics: WithId<Organization>[]
): ProjectMembership {
  return {
    resourceType: 'ProjectMembership',
    project: { reference: `Project/${PROJECT_ID}` },
    user: { reference: 'User/clinician' },
    profile: createReference(profile),
    accessPolicy: createReference(policy),
    access: clinics.map((clinic) => enrollment(policy, clinic)),
  };
}

/** What the server does per request: resolve the membership's policies, wrap the store. */
export async function repoFor(admin: AccountsRepository, membership: ProjectMembership): Promise<FhirRepository> {
  const accessPolicies = (await resolveAccessPolicies(admin, membership)) ?? [];
  return createPolicyRepository(admin, { membership, accessPolicies, projectId: PROJECT_ID });
}

/** An admin-created patient enrolled in the given clinics (meta.accounts given, as an admin may). */
export async function createPatient(
  admin: FhirRepository,
  family: string,
  clinics: WithId<Organization>[]
): Promise<WithId<Patient>> {
  return admin.createResource<Patient>({
    resourceType: 'Patient',
    name: [{ family }],
    ...(clinics.length ? { meta: { accounts: clinics.map((c) => createReference(c)) } } : undefined),
  });
}

/** An observation about the patient, created without meta (so it inherits the patient's accounts). */
export async function createObservation(
  repo: FhirRepository,
  patient: WithId<Patient>,
  code = 'heart-rate'
): Promise<WithId<Observation>> {
  return repo.createResource<Observation>({
    resourceType: 'Observation',
    status: 'final',
    code: { text: code },
    subject: createReference(patient),
  });
}

export function refs(list: Reference[] | undefined): string[] {
  return (list ?? []).map((r) => r.reference ?? '').sort();
}

export function ids(resources: Resource[]): string[] {
  return resources.map((r) => r.id ?? '').sort();
}
