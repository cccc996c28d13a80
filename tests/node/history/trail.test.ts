import type { MedplumClient } from '@medplum/core';
import type { AuditEvent, Bundle } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import type { ActivityEntry } from '../../../main/engines/activity-log';
import { isImportRow, toAuditEvent } from '../../../main/history/audit-event';
import { createNameResolver } from '../../../main/history/names';
import { listTrail, matches, trailSearch, viewOf } from '../../../main/history/trail';

const entry = (id: string, time: string, actor = 'Practitioner/a'): ActivityEntry & { id: string } => ({
  id,
  time,
  actor,
  action: 'clinician.enroll',
  targets: ['Practitioner/c', 'Organization/o'],
  result: 'ok',
  change: { subject: 'Practitioner/c', field: 'clinics', before: [], after: ['Organization/o'] },
});

function client(search: () => Promise<Bundle<AuditEvent>>): MedplumClient {
  return {
    search,
    // Names: every read answers with a named Practitioner or Organization.
    readResource: async (type: string, id: string) => (type === 'Organization' ? { resourceType: type, id, name: `Clinic ${id}` } : { resourceType: type, id, name: [{ given: ['Ann'], family: id }] }),
  } as unknown as MedplumClient;
}

describe('the Activity trail', () => {
  it('merges the server’s AuditEvents with this desktop’s entries not yet sent, an entry in both shown once', async () => {
    const sent = entry('11111111-0000-4000-a000-000000000001', '2026-12-01T09:00:00Z', 'Practitioner/other');
    const both = entry('11111111-0000-4000-a000-000000000002', '2026-12-01T09:01:00Z');
    const waiting = entry('11111111-0000-4000-a000-000000000003', '2026-12-01T09:02:00Z');
    const bundle: Bundle<AuditEvent> = { resourceType: 'Bundle', type: 'searchset', total: 2, entry: [both, sent].map((e, i) => ({ resource: { ...toAuditEvent(e), id: `ae-${i}` } })) };
    const page = await listTrail(client(async () => bundle), [both, waiting], { offset: 0, count: 50 });
    expect(page.entries.map((e) => [e.id, e.pending])).toEqual([
      [`local:${waiting.id}`, true],
      [`local:${both.id}`, true],
      ['server:ae-1', false],
    ]);
    expect(page.entries[2]).toMatchObject({ actor: { reference: 'Practitioner/other', display: 'Ann other' }, undoable: true });
    expect(page.entries[2]?.changes).toEqual([{ field: 'clinics', added: [{ reference: 'Organization/o', display: 'Clinic o' }], removed: [] }]);
    expect(page.pending).toBe(2);
  });

  it('offline: the local entries, and says the server could not be read', async () => {
    const waiting = entry('11111111-0000-4000-a000-000000000004', '2026-12-01T09:03:00Z');
    const page = await listTrail(client(async () => Promise.reject(new TypeError('fetch failed'))), [waiting], { offset: 0, count: 50 });
    expect(page).toMatchObject({ serverReachable: false, pending: 1, total: 1 });
    expect(page.entries.map((e) => e.id)).toEqual([`local:${waiting.id}`]);
  });

  it('filters become one server search', () => {
    expect(trailSearch({ offset: 20, count: 10, action: 'patient.enroll', result: 'failed', record: 'Patient/p', since: '2026-12-01T00:00:00Z' })).toEqual({
      // A record's trail also holds the rows of imports that touched it.
      _tag: 'https://mso-admin-console.app/fhir/trail|access-change,https://mso-admin-console.app/fhir/trail|import-row',
      _sort: '-date',
      _count: '10',
      _total: 'accurate',
      _offset: '20',
      subtype: 'https://mso-admin-console.app/fhir/CodeSystem/activity|patient.enroll',
      outcome: '4',
      entity: 'Patient/p',
      date: 'ge2026-12-01T00:00:00Z',
    });
  });

  it('shows an import once in the Activity list, and its rows on the trail of a record they touched', () => {
    const row = { action: 'patient.set-clinics', importId: '0b9f6b43-2f3c-4a55-a2f0-1c1a3f0e9d11' };
    const own = { action: 'import.roster', importId: row.importId };
    expect(isImportRow(row)).toBe(true);
    expect(isImportRow(own)).toBe(false);
    expect(isImportRow({ action: 'patient.set-clinics' })).toBe(false);
    expect(trailSearch({ offset: 0, count: 20 })._tag).toBe('https://mso-admin-console.app/fhir/trail|access-change');
    const entry = { id: 'e1', time: '2026-12-01T10:00:00Z', actor: 'Practitioner/a', targets: ['Patient/p'], result: 'ok' as const, ...row };
    expect(matches(entry, { offset: 0, count: 20 })).toBe(false);
    expect(matches(entry, { offset: 0, count: 20, record: 'Patient/p' })).toBe(true);
    expect(toAuditEvent(entry).meta?.tag?.map((tag) => tag.code)).toContain('import-row');
    expect(toAuditEvent({ ...entry, ...own }).meta?.tag?.map((tag) => tag.code)).toContain('access-change');
  });

  it('an import’s own entry can be undone (the whole import); one without an import id, or a row without a change, cannot', async () => {
    const names = createNameResolver(client(async () => ({ resourceType: 'Bundle', type: 'searchset' })));
    const base = { id: 'i1', time: '2026-12-01T10:00:00Z', actor: 'Practitioner/a', targets: [], result: 'ok' as const };
    const own = await viewOf(names, { ...base, action: 'import.roster', importId: '0b9f6b43-2f3c-4a55-a2f0-1c1a3f0e9d11' }, 'local:i1', false);
    expect(own.undoable).toBe(true);
    expect(own.importId).toBe('0b9f6b43-2f3c-4a55-a2f0-1c1a3f0e9d11');
    expect((await viewOf(names, { ...base, action: 'import.roster' }, 'local:i2', false)).undoable).toBe(false);
    expect((await viewOf(names, { ...base, action: 'patient.set-clinics', importId: own.importId as string }, 'local:i3', false)).undoable).toBe(false);
  });
});
