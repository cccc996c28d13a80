import type { ProjectMembership } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { clinicsOf, grantsWholeProject, labelOf, withClinic, withLabel, withoutClinic } from '../../../main/engines/access-list';

const policy = { reference: 'AccessPolicy/mso' };
const base: ProjectMembership = {
  resourceType: 'ProjectMembership',
  project: { reference: 'Project/p' },
  user: { reference: 'User/u' },
  profile: { reference: 'Practitioner/x' },
};

describe('membership access edits', () => {
  test('adding a clinic twice keeps one entry, and sets the base policy', () => {
    const once = withClinic(base, policy, { reference: 'Organization/a', display: 'A' });
    const twice = withClinic(once, policy, { reference: 'Organization/a' });
    expect(twice.accessPolicy).toEqual(policy);
    expect(twice.access).toEqual([
      { policy, parameter: [{ name: 'organization', valueReference: { reference: 'Organization/a', display: 'A' } }] },
    ]);
  });

  test('removing the last clinic leaves no access but keeps the base policy: never the whole project', () => {
    const enrolled = withClinic(base, policy, { reference: 'Organization/a' });
    const removed = withoutClinic(enrolled, policy, 'Organization/a');
    expect(removed.access).toBeUndefined();
    expect(removed.accessPolicy).toEqual(policy);
    expect(grantsWholeProject(removed)).toBe(false);
    expect(grantsWholeProject(base)).toBe(true);
  });

  test('entries other than clinic entries are kept', () => {
    const other = { policy: { reference: 'AccessPolicy/other' } };
    const m = withoutClinic(withClinic({ ...base, access: [other] }, policy, { reference: 'Organization/a' }), policy, 'Organization/a');
    expect(m.access).toEqual([other]);
  });

  test('labels replace one another', () => {
    expect(labelOf(withLabel(withLabel(base, 'A'), 'B'))).toBe('B');
    expect(withLabel(withLabel(base, 'A'), 'B').identifier).toHaveLength(1);
  });

  test('property: any sequence of enroll/unenroll ends with exactly the clinics a set would hold, base policy always there', () => {
    const op = fc.record({ add: fc.boolean(), clinic: fc.constantFrom('a', 'b', 'c', 'd') });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        let m: ProjectMembership = base;
        const expected = new Set<string>();
        for (const { add, clinic } of ops) {
          const ref = `Organization/${clinic}`;
          m = add ? withClinic(m, policy, { reference: ref }) : withoutClinic(m, policy, ref);
          if (add) expected.add(ref);
          else expected.delete(ref);
        }
        expect(new Set(clinicsOf(m))).toEqual(expected);
        expect(clinicsOf(m)).toHaveLength(expected.size);
        if (ops.length) expect(m.accessPolicy).toEqual(policy);
      })
    );
  });
});
