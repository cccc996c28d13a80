import { describe, expect, it } from 'vitest';
import { exactDelta, hasConflict, inverseDelta, isEmpty, type UndoPlan } from '../../../main/history/undo-plan';
import { diffMembership, diffPatient } from '../../../main/history/version-diff';
import { rawChangesOf } from '../../../main/history/trail';
import { reachClause } from '../../../main/history/clinic-reach';

const plan = (current: string[]): UndoPlan => ({
  subject: 'Patient/p',
  field: 'accounts',
  before: ['Organization/a', 'Consent/u'],
  after: ['Organization/a', 'Organization/b'],
  current,
  time: '2026-12-01T09:00:00Z',
});

describe('undo plans', () => {
  it('while the record is as the change left it, the exact undo gives the list before', () => {
    const p = plan(['Organization/b', 'Organization/a']);
    expect(hasConflict(p)).toBe(false);
    expect(exactDelta(p)).toEqual({ add: ['Consent/u'], remove: ['Organization/b'] });
  });

  it('a later change is a conflict; the inverse of just this change keeps it', () => {
    const p = plan(['Organization/a', 'Organization/b', 'Organization/c']);
    expect(hasConflict(p)).toBe(true);
    expect(inverseDelta(p)).toEqual({ add: ['Consent/u'], remove: ['Organization/b'] });
  });

  it('nothing left to undo when someone already reversed it', () => {
    const p = plan(['Organization/a', 'Consent/u']);
    expect(hasConflict(p)).toBe(true);
    expect(isEmpty(inverseDelta(p))).toBe(true);
  });

  it('splits a patient change by meaning: clinics, consent, assigned clinicians', () => {
    expect(rawChangesOf({ time: '', actor: '', action: '', targets: [], result: 'ok', change: { subject: 'Patient/p', field: 'accounts', before: ['Consent/u'], after: ['Organization/b', 'Practitioner/d'] } })).toEqual([
      { field: 'clinics', added: ['Organization/b'], removed: [] },
      { field: 'assigned-clinicians', added: ['Practitioner/d'], removed: [] },
      { field: 'consent', added: [], removed: ['Consent/u'] },
    ]);
  });
});

describe('version diffs', () => {
  it('a patient version: clinics, consent and assigned clinicians from meta.accounts', () => {
    const before = { resourceType: 'Patient' as const, meta: { accounts: [{ reference: 'Organization/a' }] } };
    const after = { resourceType: 'Patient' as const, meta: { accounts: [{ reference: 'Organization/b' }, { reference: 'Consent/u' }] } };
    expect(diffPatient(before, after)).toEqual([
      { field: 'clinics', added: ['Organization/b'], removed: ['Organization/a'] },
      { field: 'consent', added: ['Consent/u'], removed: [] },
    ]);
    expect(diffPatient(after, { ...after })).toEqual([]);
  });

  it('a membership version: clinics, base policy, label, active', () => {
    const entry = (clinic: string) => ({ policy: { reference: 'AccessPolicy/mso' }, parameter: [{ name: 'organization', valueReference: { reference: clinic } }] });
    const base = { resourceType: 'ProjectMembership' as const, project: { reference: 'Project/1' }, user: { reference: 'User/1' }, profile: { reference: 'Practitioner/1' }, accessPolicy: { reference: 'AccessPolicy/mso' }, access: [entry('Organization/a')] };
    expect(diffMembership(base, { ...base, access: [entry('Organization/a'), entry('Organization/b')], active: false, accessPolicy: undefined })).toEqual([
      { field: 'clinics', added: ['Organization/b'], removed: [] },
      { field: 'base-policy', added: [], removed: [], before: 'AccessPolicy/mso', after: null },
      { field: 'active', added: [], removed: [], before: 'true', after: 'false' },
    ]);
    expect(diffMembership(base, undefined).map((c) => c.field)).toEqual(['clinics', 'membership']);
  });
});

describe('what a patient’s clinic change means for the clinic’s clinicians', () => {
  it('says who stops or starts again seeing the patient, and who sees them through another clinic', () => {
    expect(reachClause({ enrolled: 3, affected: 3 }, 'will no longer see')).toBe(': its 3 clinicians will no longer see their records');
    expect(reachClause({ enrolled: 1, affected: 1 }, 'will see again')).toBe(': its 1 clinician will see their records again');
    expect(reachClause({ enrolled: 4, affected: 1 }, 'will no longer see')).toBe(
      ': 1 of its 4 clinicians will no longer see their records (the others see them through another clinic)'
    );
    expect(reachClause({ enrolled: 2, affected: 0 }, 'will no longer see')).toBe(': its 2 clinicians see their records through another clinic either way');
    expect(reachClause({ enrolled: 0, affected: 0 }, 'will see again')).toBe(': it has no clinicians, so no one’s access changes');
    expect(reachClause(undefined, 'will no longer see')).toBe('');
  });
});
