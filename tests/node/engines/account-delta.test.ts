import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { applyDelta, composeDeltas, diffAccounts, sameAccounts } from '../../../main/engines/account-delta';

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

  test('merging back an overwritten change: both administrators’ clinics end up in the list', () => {
    const base = refs('Organization/a');
    const theirs = applyDelta(base, { add: ['Organization/b'], remove: [] });
    const oursOnBase = applyDelta(base, { add: ['Organization/c'], remove: [] });
    const lost = diffAccounts(base, theirs);
    const merged = applyDelta(applyDelta(oursOnBase, lost), { add: ['Organization/c'], remove: [] });
    expect(merged.map((r) => r.reference).sort()).toEqual(['Organization/a', 'Organization/b', 'Organization/c']);
  });

  test('property: composing two deltas equals applying them in turn', () => {
    const ref = fc.constantFrom('Organization/a', 'Organization/b', 'Organization/c', 'Consent/x');
    const delta = fc.record({ add: fc.uniqueArray(ref), remove: fc.uniqueArray(ref) }).map((d) => ({
      add: d.add,
      remove: d.remove.filter((r) => !d.add.includes(r)),
    }));
    fc.assert(
      fc.property(fc.uniqueArray(ref), delta, delta, (start, d1, d2) => {
        const list = start.map((reference) => ({ reference }));
        expect(sameAccounts(applyDelta(list, composeDeltas(d1, d2)), applyDelta(applyDelta(list, d1), d2))).toBe(true);
      })
    );
  });
});
