import { describe, expect, it } from 'vitest';
import { checkBirthDate, checkClinics, checkGender, checkNpi } from '../../../preload/api/roster/rules';
import { detectRosterKind, normalizeHeaderName } from '../../../preload/api/roster/columns';

describe('roster value rules', () => {
  it('read both date forms as one calendar date, and refuse what is not one', () => {
    expect(checkBirthDate('1/2/1990', '2026-12-01')).toEqual({ ok: true, value: '1990-01-02' });
    expect(checkBirthDate('12/31/1999', '2026-12-01')).toEqual({ ok: true, value: '1999-12-31' });
    expect(checkBirthDate('2026-12-01', '2026-12-01')).toEqual({ ok: true, value: '2026-12-01' });
    expect(checkBirthDate('2026-12-02', '2026-12-01').ok).toBe(false);
    expect(checkBirthDate('2/29/2024', '2026-12-01').ok).toBe(true);
    expect(checkBirthDate('2/29/2023', '2026-12-01').ok).toBe(false);
    expect(checkBirthDate('1990/01/02', '2026-12-01').ok).toBe(false);
  });

  it('check the NPI digit as CMS defines it (Luhn over 80840 and the first nine digits)', () => {
    expect(checkNpi('1234567893').ok).toBe(true);
    expect(checkNpi('1234567894').ok).toBe(false);
    expect(checkNpi('123456789').ok).toBe(false);
  });

  it('map genders and clinics the spec way', () => {
    expect(checkGender('F')).toEqual({ ok: true, value: 'female' });
    expect(checkGender('unknown')).toEqual({ ok: true, value: 'unknown' });
    expect(checkClinics('North; Organization/abc ;sys|v; north')).toEqual({
      ok: true,
      value: [
        { kind: 'name', name: 'North' },
        { kind: 'id', id: 'abc' },
        { kind: 'identifier', system: 'sys', value: 'v' },
      ],
    });
  });

  it('never repeat the value in a message', () => {
    for (const check of [checkNpi('98765-XYZ'), checkGender('Zyx-unique'), checkBirthDate('31.12.1990', '2026-12-01'), checkClinics('Organization/a b')]) {
      expect(check.ok).toBe(false);
      if (!check.ok) expect(check.message).not.toMatch(/98765|Zyx-unique|31\.12|a b/);
    }
  });

  it('read header names and kinds', () => {
    expect(normalizeHeaderName('  Date-of Birth ')).toBe('date_of_birth');
    expect(detectRosterKind(['MRN', 'x'])).toBe('patients');
    expect(detectRosterKind(['NPI', 'First Name'])).toBe('practitioners');
    expect(detectRosterKind(['mrn', 'email'])).toBe('patients');
    expect(detectRosterKind(['name'])).toBeUndefined();
  });
});
