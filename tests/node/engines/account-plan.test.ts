import type { Observation, Reference } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { AccountDelta } from '../../../main/engines/account-delta';
import { applyDelta, withAccountsMeta } from '../../../main/engines/account-delta';
import { otherPatientsOf, planPatientWrite, recordFixes } from '../../../main/engines/account-plan';

const refs = (...r: string[]): Reference[] => r.map((reference) => ({ reference }));
const names = (list: readonly Reference[]): string[] => list.map((a) => a.reference ?? '');

function observation(id: string, accounts: string[], compartment: string[] = ['Patient/p']): Observation & { id: string } {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { text: 'x' },
    meta: { versionId: '1', accounts: refs(...accounts), compartment: refs(...compartment) },
  };
}

describe('what to write on the patient', () => {
  test('the change applied to the current list; nothing to write when it is already there', () => {
    expect(planPatientWrite(refs('Organization/a'), { add: ['Organization/b'], remove: [] })).toEqual({
      target: refs('Organization/a', 'Organization/b'),
      changed: true,
    });
    expect(planPatientWrite(refs('Organization/b', 'Organization/a'), { add: ['Organization/a'], remove: ['Organization/c'] }).changed).toBe(false);
  });

  test('decided on a newer version, it keeps what another administrator changed meanwhile', () => {
    // Read [A]; meanwhile someone wrote [A, C]; our If-Match write of [A, B] is refused, and we decide again.
    const again = planPatientWrite(refs('Organization/a', 'Organization/c'), { add: ['Organization/b'], remove: [] });
    expect(names(again.target).sort()).toEqual(['Organization/a', 'Organization/b', 'Organization/c']);
  });

  /**
   * Writers racing on one patient as the engine does: read the version, decide, write if the
   * version is still current (If-Match), else read again. In any interleaving the result is the
   * changes applied one after another in the order their writes landed, so none is lost.
   */
  test('compare-and-swap in any interleaving: the final list is every change applied in landing order', () => {
    const clinic = fc.constantFrom('Organization/a', 'Organization/b', 'Organization/c', 'Organization/d', 'Organization/e');
    const delta = fc.record({ add: fc.uniqueArray(clinic, { maxLength: 2 }), remove: fc.uniqueArray(clinic, { maxLength: 2 }) });
    fc.assert(
      fc.property(
        fc.uniqueArray(clinic, { maxLength: 3 }),
        fc.array(delta, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
        (initial, deltas: AccountDelta[], schedule) => {
          const server = { version: 0, accounts: refs(...initial) };
          const writers = deltas.map((d) => ({ delta: d, read: undefined as { version: number; accounts: Reference[] } | undefined, done: false }));
          const landed: AccountDelta[] = [];
          let step = 0;
          while (writers.some((w) => !w.done)) {
            const waiting = writers.filter((w) => !w.done);
            const w = waiting[(schedule[step++ % schedule.length] ?? 0) % waiting.length]!;
            if (!w.read) {
              w.read = { version: server.version, accounts: server.accounts };
              continue;
            }
            const plan = planPatientWrite(w.read.accounts, w.delta);
            if (!plan.changed) {
              w.done = true;
            } else if (w.read.version === server.version) {
              server.version++;
              server.accounts = plan.target;
              landed.push(w.delta);
              w.done = true;
            } else {
              w.read = undefined; // 412: read again
            }
          }
          const serial = landed.reduce<Reference[]>((list, d) => applyDelta(list, d), refs(...initial));
          expect(names(server.accounts).sort()).toEqual(names(serial).sort());
        }
      )
    );
  });
});

describe('which related records to correct', () => {
  const patientAccounts = new Map([['Patient/p', refs('Organization/a', 'Organization/b')]]);

  test('a record with exactly the patient’s accounts (in any order) is left alone', () => {
    expect(recordFixes([observation('1', ['Organization/b', 'Organization/a'])], 'Patient/p', patientAccounts)).toEqual([]);
  });

  test('a record missing one, or with one the patient no longer has, gets exactly the patient’s list', () => {
    const fixes = recordFixes(
      [observation('1', ['Organization/a']), observation('2', ['Organization/a', 'Organization/b', 'Organization/gone']), observation('3', [])],
      'Patient/p',
      patientAccounts
    );
    expect(fixes.map((f) => [f.record.id, names(f.accounts)])).toEqual([
      ['1', ['Organization/a', 'Organization/b']],
      ['2', ['Organization/a', 'Organization/b']],
      ['3', ['Organization/a', 'Organization/b']],
    ]);
  });

  test('a record shared with another patient carries both patients’ accounts; an unknown patient adds nothing', () => {
    const shared = observation('1', ['Organization/a', 'Organization/b'], ['Patient/p', 'Patient/q', 'Organization/a']);
    expect(otherPatientsOf(shared, 'Patient/p')).toEqual(['Patient/q']);
    const withQ = new Map([...patientAccounts, ['Patient/q', refs('Organization/z')]]);
    expect(recordFixes([shared], 'Patient/p', withQ).map((f) => names(f.accounts))).toEqual([['Organization/a', 'Organization/b', 'Organization/z']]);
    expect(recordFixes([shared], 'Patient/p', patientAccounts)).toEqual([]);
  });
});

describe('meta with a given account list', () => {
  test('sets accounts and account, keeps the rest; an empty list drops both', () => {
    const meta = { versionId: '7', account: { reference: 'Organization/old' }, accounts: refs('Organization/old'), tag: [{ code: 't' }] };
    expect(withAccountsMeta(meta, refs('Organization/a', 'Organization/b'))).toEqual({
      versionId: '7',
      tag: [{ code: 't' }],
      accounts: refs('Organization/a', 'Organization/b'),
      account: { reference: 'Organization/a' },
    });
    expect(withAccountsMeta(meta, [])).toEqual({ versionId: '7', tag: [{ code: 't' }] });
  });
});
