import type { AccessPolicy, AccessPolicyResource } from '@medplum/fhirtypes';

export const MSO_POLICY_NAME = 'MSO Clinic Access';

// The clinical types a clinician works with; each admitted only inside an enrolled clinic.
const CLINICAL_TYPES = ['Patient', 'Observation', 'Encounter', 'DiagnosticReport', 'Communication', 'Condition'];

/**
 * The MSO AccessPolicy (design.md, sentence 4): the `%organization` parameter comes from each
 * `ProjectMembership.access` entry; new resources get that clinic's compartment. Clinics and
 * colleagues are readable so the UI can name them.
 */
export function msoAccessPolicy(): AccessPolicy {
  const clinical: AccessPolicyResource[] = CLINICAL_TYPES.map((resourceType) => ({
    resourceType,
    criteria: `${resourceType}?_compartment=%organization`,
  }));
  return {
    resourceType: 'AccessPolicy',
    name: MSO_POLICY_NAME,
    compartment: { reference: '%organization' },
    resource: [
      ...clinical,
      { resourceType: 'Organization', readonly: true },
      { resourceType: 'Practitioner', readonly: true },
    ],
  };
}
