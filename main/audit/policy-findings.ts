import type { WithId } from '@medplum/core';
import type { AccessPolicy } from '@medplum/fhirtypes';
import type { AuditFinding } from '../../preload/api/schemas/audit';
import { diffPolicies, expectedMsoPolicy, MSO_CLINICAL_TYPES, MSO_POLICY_NAME, MSO_READONLY_TYPES, variantOf } from '../engines/mso-access-policy';
import { finding, manualFix, repairFix } from './finding';
import type { Labels } from './labels';
import { isHardened } from './policy-hardening';

const DIRECTORY_TYPES: readonly string[] = MSO_READONLY_TYPES;

/** Does this criteria keep a rule inside the clinician's clinic? */
function filtersByClinic(criteria: string | undefined): boolean {
  return !!criteria && /[?&]_compartment=%organization(&|$)/.test(criteria);
}

/** Findings about the MSO policy itself: missing, changed, unfiltered criteria, gaps, cross-clinic writes. */
export function policyFindings(policy: WithId<AccessPolicy> | undefined, typeCounts: ReadonlyMap<string, number>, labels: Labels): AuditFinding[] {
  if (!policy) {
    return [
      finding('policy-not-installed', 'project', 'critical', 'The MSO access policy is not installed',
        `No access policy is named “${MSO_POLICY_NAME}”. Without it clinicians cannot be enrolled, and memberships cannot be given a base policy that keeps them inside their clinics.`,
        [], repairFix('install-policy', 'Install the MSO policy', 'Creates the MSO Clinic Access policy (standard variant).')),
    ];
  }
  const ref = labels.ref(`AccessPolicy/${policy.id}`);
  const findings: AuditFinding[] = [];
  // Only the directory types (clinics, colleagues) may be open, and only to read.
  const unfiltered = (policy.resource ?? []).filter(
    (rule) => !filtersByClinic(rule.criteria) && !(rule.readonly && DIRECTORY_TYPES.includes(rule.resourceType)),
  );
  if (unfiltered.length) {
    findings.push(
      finding('policy-criteria-unfiltered', unfiltered.map((r) => r.resourceType).sort().join(','), 'critical', 'Policy rules that do not filter by clinic',
        `The MSO policy lets clinicians read and write ${unfiltered.map((r) => r.resourceType).join(', ')} without “_compartment=%organization” in the criteria: every clinician reaches those records of every clinic.`,
        [ref], repairFix('install-policy', 'Restore the MSO rules', 'Rewrites the policy’s rules to the ones the console expects (same policy, so every membership gets the change at once).')),
    );
  }
  const variant = variantOf(policy);
  if (!variant) {
    const differences = diffPolicies(expectedMsoPolicy(undefined, isHardened(policy)), policy);
    if (!unfiltered.length) {
      findings.push(
        finding('policy-differs', 'project', 'warning', 'The MSO policy differs from what the console expects',
          `It matches none of the console’s variants (${differences.length} difference${differences.length === 1 ? '' : 's'}: ${differences.slice(0, 5).map((d) => `${d.scope} ${d.kind}`).join('; ')}). What clinicians can see may not be what the clinic lists say.`,
          [ref], repairFix('install-policy', 'Restore the MSO policy', 'Rewrites the policy to the standard variant the console expects (a hardened policy stays hardened).')),
      );
    }
  }
  const listed = new Set((policy.resource ?? []).map((r) => r.resourceType));
  const gaps = [...typeCounts].filter(([type, count]) => count > 0 && !listed.has(type) && !listed.has('*')).map(([type]) => type);
  if (gaps.length) {
    findings.push(
      finding('policy-type-gap', gaps.sort().join(','), 'notice', 'Clinical records of types the MSO policy does not list',
        `The project holds ${gaps.join(', ')} records, which the MSO policy does not name: clinicians cannot see them at all, and the console does not keep their clinics in line with the patient’s.`,
        gaps.map((type) => ({ reference: type, label: `${type} (${typeCounts.get(type)} records)` })),
        manualFix('Decide who should see them', 'A person decides whether clinicians need these records.', [
          'If clinicians need them, ask for the type to be added to the MSO policy (with “_compartment=%organization”).',
          'Otherwise nothing is exposed: only administrators see these records.',
        ])),
    );
  }
  if (!isHardened(policy) && (policy.resource ?? []).some((r) => !r.readonly && (MSO_CLINICAL_TYPES as readonly string[]).includes(r.resourceType))) {
    findings.push(
      finding('cross-clinic-writes', 'project', 'warning', 'Clinicians can write records on other clinics’ patients',
        'The MSO policy gives new records the clinician’s own clinic as well as the patient’s. So a clinician of clinic A can create a record (an Observation, an Encounter…) on a clinic-B patient they cannot read, and a clinician of several clinics files records of one clinic’s patient under another.',
        [ref], repairFix('harden-policy', 'Harden the policy', 'Removes the policy’s own compartment: a clinician’s new record then belongs to its patient’s clinics only, and a write on a patient outside their clinics is refused. Clinicians can then no longer create patients or records without a patient (administrators do that).')),
    );
  }
  return findings;
}
