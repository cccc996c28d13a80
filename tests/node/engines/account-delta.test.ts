import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { applyDelta, diffAccounts, sameAccounts } from '../../../main/engines/account-delta';

const refs = (...r: string[]) => r.map((reference) => ({ reference }));

describe('account deltas', () => {
  test('apply keeps order, appends additions, drops removals and repeats', () => {
    expect(applyDelta(refs('Organization/a', 'Consent/c', 'Organization/a'), { add: ['Organization/b'], remove: ['Consent/c'] })).toEqual(
      refs('Organization/a', 'Organization/b')
    );
  });

  test('diff then apply gives the target', () => {
    const before = refs('Organization/a', 'Organization/b');
    const after = refs('Organization/b', 'Organization/c');
    expect(sameAccounts(applyDelta(before, diffAccounts(before, after)), after)).toBe(true);
  });

  test('property: after apply, every addition is there once, no removal is, and the rest keep their order', () => {
    const ref = fc.constantFrom('Organization/a', 'Organization/b', 'Organization/c', 'Consent/x', 'Practitioner/p');
    fc.assert(
      fc.property(fc.array(ref), fc.uniqueArray(ref), fc.uniqueArray(ref), (start, add, remove) => {
        const result = applyDelta(refs(...start), { add, remove }).map((r) => r.reference ?? '');
        expect(new Set(result).size).toBe(result.length);
        expect(add.filter((r) => !remove.includes(r)).every((r) => result.includes(r))).toBe(true);
        expect(remove.some((r) => result.includes(r))).toBe(false);
        const kept = [...new Set(start)].filter((r) => !remove.includes(r));
        expect(result.slice(0, kept.length)).toEqual(kept);
      })
    );
  });
});
