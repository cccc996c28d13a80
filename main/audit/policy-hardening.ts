import type { AccessPolicy } from '@medplum/fhirtypes';

/**
 * Cross-clinic writes (docs/audit.md). Medplum 5.0.10 (fhir/repo.ts `getAccounts`) stamps a
 * clinician's new resource with their policy's `compartment` (the last access entry's clinic) on
 * top of the accounts inherited from the patient, and then checks the write against the criteria
 * (`_compartment=%organization`) on that stamped result: so a clinic-A clinician may create an
 * Observation on a clinic-B patient (it then belongs to A and B), and a clinician of A and C who
 * writes on an A patient files the record under C too. Without the policy compartment a new
 * record carries only its patient's accounts, so the write passes only when the patient is in one
 * of the clinician's clinics. The cost: a record with no patient (or a new Patient) gets no
 * account and is refused to clinicians; in the MSO model administrators create patients.
 */
export function hardenedPolicy(policy: AccessPolicy): AccessPolicy {
  const { compartment: _dropped, ...rest } = policy;
  return rest;
}

/** True when the MSO policy has no compartment of its own (hardened against cross-clinic writes). */
export function isHardened(policy: AccessPolicy): boolean {
  return !policy.compartment;
}
