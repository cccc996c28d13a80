import { describe, expect, it } from 'vitest';
import { isNotModified } from '../../../main/local-server/repo/not-modified';

describe('an update that changes nothing (Medplum writes no version for it)', () => {
  const stored = { resourceType: 'Patient' as const, id: 'p', meta: { versionId: '1', lastUpdated: '2026-12-01T09:00:00Z', author: { reference: 'Practitioner/a' }, accounts: [{ reference: 'Organization/1' }] }, active: true };

  it('differs only in what every write stamps (version, time, author): not modified', () => {
    expect(isNotModified(stored, { ...stored, meta: { ...stored.meta, versionId: '2', lastUpdated: '2026-12-01T10:00:00Z', author: { reference: 'Practitioner/b' } } })).toBe(true);
    expect(isNotModified(stored, { ...stored, name: [] })).toBe(true);
  });

  it('a different account, field or value: modified; no previous version: modified', () => {
    expect(isNotModified(stored, { ...stored, meta: { ...stored.meta, accounts: [{ reference: 'Organization/2' }] } })).toBe(false);
    expect(isNotModified(stored, { ...stored, active: false })).toBe(false);
    expect(isNotModified(undefined, stored)).toBe(false);
  });
});
