import { describe, expect, test } from 'vitest';
import { diffPolicies, expectedMsoPolicy, variantOf } from '../../../main/engines/mso-access-policy';
import { msoAccessPolicy } from '../../../main/local-server/mso-policy';

describe('the expected MSO policy', () => {
  test('is the policy the local sandbox seeds (so a fresh sandbox needs no upgrade)', () => {
    expect(diffPolicies(expectedMsoPolicy(), msoAccessPolicy())).toEqual([]);
  });

  test('covers the MSO demo’s clinical types through the clinic compartment, clinics and colleagues read-only', () => {
    const policy = expectedMsoPolicy();
    expect(policy.compartment).toEqual({ reference: '%organization' });
    for (const type of ['Patient', 'Observation', 'DiagnosticReport', 'Encounter', 'Communication']) {
      expect(policy.resource).toContainEqual({ resourceType: type, criteria: `${type}?_compartment=%organization` });
    }
    expect(policy.resource).toContainEqual({ resourceType: 'Organization', readonly: true });
    expect(policy.resource).toContainEqual({ resourceType: 'Practitioner', readonly: true });
  });

  test('variants AND their condition into every clinical criteria and are recognised back', () => {
    const consent = { kind: 'consent-gated', consent: { reference: 'Consent/u' } } as const;
    const gated = expectedMsoPolicy(consent);
    expect(gated.resource?.find((r) => r.resourceType === 'Observation')?.criteria).toBe(
      'Observation?_compartment=%organization&_compartment=Consent/u'
    );
    expect(gated.resource?.find((r) => r.resourceType === 'Organization')).toEqual({ resourceType: 'Organization', readonly: true });
    expect(variantOf(gated)).toEqual(consent);
    expect(variantOf(expectedMsoPolicy({ kind: 'assigned-clinician' }))).toEqual({ kind: 'assigned-clinician' });
    expect(variantOf({ resourceType: 'AccessPolicy', resource: [] })).toBeUndefined();
    expect(() => expectedMsoPolicy({ kind: 'consent-gated', consent: { reference: 'Patient/1' } })).toThrow();
  });

  test('the diff ignores rule order and meta, and names every kind of difference', () => {
    const expected = expectedMsoPolicy();
    const reordered = { ...expected, id: 'x', meta: { versionId: '1' }, resource: [...(expected.resource ?? [])].reverse() };
    expect(diffPolicies(expected, reordered)).toEqual([]);

    const installed = {
      ...expected,
      name: 'Old name',
      compartment: undefined,
      resource: [
        ...(expected.resource ?? []).filter((r) => !['Patient', 'Encounter', 'Organization'].includes(r.resourceType)),
        { resourceType: 'Patient', criteria: 'Patient?_compartment=%organization', interaction: ['read' as const] },
        { resourceType: 'Encounter', criteria: 'Encounter' },
        { resourceType: 'Encounter', criteria: 'Encounter?_compartment=%organization' },
        { resourceType: 'Organization', readonly: false, compartment: { reference: 'Organization/x' } },
      ],
    };
    expect(diffPolicies(expected, installed).map((d) => `${d.scope}:${d.kind}`).sort()).toEqual(
      [
        'Encounter:criteria',
        'Organization:readonly',
        'Organization:rule-compartment',
        'Patient:interaction',
        'policy:compartment',
        'policy:name',
      ].sort()
    );
  });
});
