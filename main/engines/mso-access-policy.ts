import type { AccessPolicy, AccessPolicyResource, Consent, Reference } from '@medplum/fhirtypes';

export const MSO_POLICY_NAME = 'MSO Clinic Access';

/**
 * The clinical types a clinician works with, each admitted only inside an enrolled clinic: the
 * MSO demo's list (Patient, Observation, DiagnosticReport, Encounter, Communication) plus
 * Condition, which the local sandbox seeds. Anything not listed is refused to clinicians.
 */
export const MSO_CLINICAL_TYPES = ['Patient', 'Observation', 'Encounter', 'DiagnosticReport', 'Communication', 'Condition'] as const;

/** Clinics and colleagues are readable so a clinician's app can name them. */
export const MSO_READONLY_TYPES = ['Organization', 'Practitioner'] as const;

/**
 * - `standard`: everything of the clinician's clinics (design.md, sentence 4).
 * - `consent-gated`: also only patients whose accounts hold the universal active Consent.
 * - `assigned-clinician`: also only patients whose accounts hold the clinician (`%profile`).
 */
export type MsoPolicyVariant =
  | { readonly kind: 'standard' }
  | { readonly kind: 'consent-gated'; readonly consent: Reference<Consent> }
  | { readonly kind: 'assigned-clinician' };

export const STANDARD_VARIANT: MsoPolicyVariant = { kind: 'standard' };

/**
 * The AccessPolicy the console expects to find installed under MSO_POLICY_NAME. `hardened`: without
 * the policy's own compartment, so a clinician's new record belongs only to its patient's clinics
 * and a write on another clinic's patient is refused (the audit's repair, docs/audit.md).
 */
export function expectedMsoPolicy(variant: MsoPolicyVariant = STANDARD_VARIANT, hardened = false): AccessPolicy {
  const extra = extraCriteria(variant);
  const clinical: AccessPolicyResource[] = MSO_CLINICAL_TYPES.map((resourceType) => ({
    resourceType,
    criteria: `${resourceType}?_compartment=%organization${extra}`,
  }));
  return {
    resourceType: 'AccessPolicy',
    name: MSO_POLICY_NAME,
    ...(hardened ? {} : { compartment: { reference: '%organization' } }),
    resource: [...clinical, ...MSO_READONLY_TYPES.map((resourceType) => ({ resourceType, readonly: true }))],
  };
}

/** The ANDed condition a variant adds to every clinical criteria (repeated `_compartment` is AND). */
function extraCriteria(variant: MsoPolicyVariant): string {
  switch (variant.kind) {
    case 'standard':
      return '';
    case 'consent-gated':
      if (!variant.consent.reference?.startsWith('Consent/')) {
        throw new Error('The consent-gated policy needs a Consent reference');
      }
      return `&_compartment=${variant.consent.reference}`;
    case 'assigned-clinician':
      return '&_compartment=%profile';
  }
}

/** Reads back which variant a policy is (undefined when it matches none of them). */
export function variantOf(policy: AccessPolicy): MsoPolicyVariant | undefined {
  const criteria = policy.resource?.find((r) => r.resourceType === 'Patient')?.criteria ?? '';
  const consent = /&_compartment=(Consent\/[^&]+)/.exec(criteria)?.[1];
  const candidates: MsoPolicyVariant[] = [
    STANDARD_VARIANT,
    { kind: 'assigned-clinician' },
    ...(consent ? [{ kind: 'consent-gated', consent: { reference: consent } } as const] : []),
  ];
  return candidates.find((v) => diffPolicies(expectedMsoPolicy(v, !policy.compartment), policy).length === 0);
}

/** One way the installed policy differs from the expected one, in words an administrator can read. */
export interface PolicyDifference {
  /** The resource type concerned, or "policy" for the policy as a whole. */
  readonly scope: string;
  readonly kind: 'missing-rule' | 'extra-rule' | 'criteria' | 'readonly' | 'interaction' | 'compartment' | 'name' | 'rule-compartment';
  readonly expected?: string;
  readonly installed?: string;
}

/**
 * Compares what matters for access: the compartment and, per resource type, criteria,
 * read-only, interactions and rule compartment. Rule order, meta, text and ids do not matter.
 */
export function diffPolicies(expected: AccessPolicy, installed: AccessPolicy): PolicyDifference[] {
  const differences: PolicyDifference[] = [];
  if (expected.name !== installed.name) {
    differences.push({ scope: 'policy', kind: 'name', expected: expected.name, installed: installed.name });
  }
  const expectedCompartment = expected.compartment?.reference;
  const installedCompartment = installed.compartment?.reference;
  if (expectedCompartment !== installedCompartment) {
    differences.push({ scope: 'policy', kind: 'compartment', expected: expectedCompartment, installed: installedCompartment });
  }
  const installedRules = groupRules(installed);
  const expectedRules = groupRules(expected);
  for (const [type, rule] of expectedRules) {
    const found = installedRules.get(type);
    if (!found) {
      differences.push({ scope: type, kind: 'missing-rule', expected: describeRule(rule) });
      continue;
    }
    differences.push(...compareRule(type, rule, found));
  }
  for (const [type, rule] of installedRules) {
    if (!expectedRules.has(type)) {
      differences.push({ scope: type, kind: 'extra-rule', installed: describeRule(rule) });
    }
  }
  return differences;
}

function compareRule(type: string, expected: AccessPolicyResource, installed: AccessPolicyResource): PolicyDifference[] {
  const differences: PolicyDifference[] = [];
  if ((expected.criteria ?? '') !== (installed.criteria ?? '')) {
    differences.push({ scope: type, kind: 'criteria', expected: expected.criteria, installed: installed.criteria });
  }
  if (!!expected.readonly !== !!installed.readonly) {
    differences.push({ scope: type, kind: 'readonly', expected: String(!!expected.readonly), installed: String(!!installed.readonly) });
  }
  const expectedInteractions = [...(expected.interaction ?? [])].sort().join(',');
  const installedInteractions = [...(installed.interaction ?? [])].sort().join(',');
  if (expectedInteractions !== installedInteractions) {
    differences.push({ scope: type, kind: 'interaction', expected: expectedInteractions, installed: installedInteractions });
  }
  if ((expected.compartment?.reference ?? '') !== (installed.compartment?.reference ?? '')) {
    differences.push({
      scope: type,
      kind: 'rule-compartment',
      expected: expected.compartment?.reference,
      installed: installed.compartment?.reference,
    });
  }
  return differences;
}

/**
 * Rules by resource type. Several rules for one type (allowed by Medplum: any one may admit) are
 * kept as one, so a duplicated rule shows up as a difference of criteria rather than passing.
 */
function groupRules(policy: AccessPolicy): Map<string, AccessPolicyResource> {
  const rules = new Map<string, AccessPolicyResource>();
  for (const rule of policy.resource ?? []) {
    const existing = rules.get(rule.resourceType);
    rules.set(
      rule.resourceType,
      existing ? { ...existing, criteria: [existing.criteria ?? '*', rule.criteria ?? '*'].join(' OR ') } : rule
    );
  }
  return rules;
}

function describeRule(rule: AccessPolicyResource): string {
  const parts = [rule.criteria ?? 'every resource of the type'];
  if (rule.readonly) {
    parts.push('read-only');
  }
  return parts.join(', ');
}
