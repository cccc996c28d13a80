import { createReference } from '@medplum/core';
import type { AccessPolicy } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { resolveAccessPolicies } from '../../../../main/local-server/repo/resolve-access';
import { clinicianMembership, createWorld, enrollment } from './fixtures';

describe('resolveAccessPolicies', () => {
  it('is undefined for a membership with no access and no accessPolicy (the whole project)', async () => {
    const w = await createWorld();
    const membership = { ...clinicianMembership(w.policy, w.practitioner, []), accessPolicy: undefined };
    expect(await resolveAccessPolicies(w.admin, membership)).toBeUndefined();
    expect(await resolveAccessPolicies(w.admin, { ...membership, access: [] })).toBeUndefined();
  });

  it('returns the base policy first, then one per access entry, with %organization filled in', async () => {
    const w = await createWorld();
    const membership = clinicianMembership(w.policy, w.practitioner, [w.clinicA, w.clinicB]);
    const policies = (await resolveAccessPolicies(w.admin, membership)) ?? [];
    expect(policies).toHaveLength(3);
    // The base entry has no organization parameter: it stays unresolved, and so matches nothing.
    expect(policies[0]?.compartment?.reference).toBe('%organization');
    expect(policies[1]?.compartment?.reference).toBe(`Organization/${w.clinicA.id}`);
    expect(policies[2]?.compartment?.reference).toBe(`Organization/${w.clinicB.id}`);
    expect(policies[2]?.resource?.[0]?.criteria).toBe(`Patient?_compartment=Organization/${w.clinicB.id}`);
    // The stored policy is untouched.
    expect((await w.admin.readResource<AccessPolicy>('AccessPolicy', w.policy.id)).compartment?.reference).toBe(
      '%organization'
    );
  });

  it('substitutes %profile, %patient, %<name>.id and valueString parameters', async () => {
    const w = await createWorld();
    const policy = await w.admin.createResource<AccessPolicy>({
      resourceType: 'AccessPolicy',
      resource: [
        { resourceType: 'Patient', criteria: 'Patient?_compartment=%profile&_compartment=%consent' },
        { resourceType: 'Practitioner', criteria: 'Practitioner?_id=%profile.id' },
        { resourceType: 'Observation', criteria: 'Observation?_compartment=%patient&_compartment=%organization' },
        { resourceType: 'Organization', criteria: 'Organization?_id=%organization.id' },
      ],
    });
    const membership = {
      ...clinicianMembership(w.policy, w.practitioner, []),
      accessPolicy: undefined,
      access: [
        {
          ...enrollment(policy, w.clinicA),
          parameter: [
            { name: 'organization', valueReference: createReference(w.clinicA) },
            { name: 'consent', valueString: 'Consent/universal' },
          ],
        },
      ],
    };
    const [resolved] = (await resolveAccessPolicies(w.admin, membership)) ?? [];
    expect(resolved?.resource?.map((r) => r.criteria)).toEqual([
      `Patient?_compartment=Practitioner/${w.practitioner.id}&_compartment=Consent/universal`,
      `Practitioner?_id=${w.practitioner.id}`,
      `Observation?_compartment=Practitioner/${w.practitioner.id}&_compartment=Organization/${w.clinicA.id}`,
      `Organization?_id=${w.clinicA.id}`,
    ]);
    // The membership itself is not modified.
    expect(membership.access[0]?.parameter).toHaveLength(2);
  });

  it('refuses a membership whose policy does not exist, without naming it', async () => {
    const w = await createWorld();
    const membership = {
      ...clinicianMembership(w.policy, w.practitioner, []),
      accessPolicy: { reference: 'AccessPolicy/missing' },
    };
    await expect(resolveAccessPolicies(w.admin, membership)).rejects.toThrow(/Invalid access policy configuration/);
  });
});
