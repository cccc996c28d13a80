import { describe, expect, it } from 'vitest';
import type { ActivityEntry } from '../../../main/engines/activity-log';
import { expectedMsoPolicy } from '../../../main/engines/mso-access-policy';
import { fromAuditEvent, toAuditEvent } from '../../../main/history/audit-event';

const entry: ActivityEntry & { id: string } = {
  id: '11111111-2222-4333-a444-555555555555',
  time: '2026-12-01T09:03:00.000Z',
  actor: 'Practitioner/admin-1',
  action: 'patient.enroll',
  targets: ['Patient/p-1', 'Organization/uptown'],
  result: 'ok',
  detail: { written: true, records: 3 },
  change: { subject: 'Patient/p-1', field: 'accounts', before: ['Organization/north'], after: ['Organization/north', 'Organization/uptown'] },
  importId: '99999999-2222-4333-a444-555555555555',
  undoes: 'server:abc',
};

describe('activity entries as AuditEvents', () => {
  it('round-trips an entry: who, what, which records, outcome, the change, the import', () => {
    const event = { ...toAuditEvent(entry), id: 'ae-1' };
    expect(event.outcome).toBe('0');
    expect(event.agent[0]?.who?.reference).toBe('Practitioner/admin-1');
    expect(event.entity?.map((e) => e.what?.reference)).toEqual(['Patient/p-1', 'Organization/uptown']);
    expect(fromAuditEvent(event)).toEqual({ ...entry, serverId: 'ae-1' });
  });

  it('holds references, codes and counts only: no display text, no names', () => {
    const event = toAuditEvent({ ...entry, result: 'failed', detail: { error: 'conflict', field: 'mrn' } });
    expect(event.outcome).toBe('4');
    const texts: string[] = [];
    JSON.stringify(event, (key, value: unknown) => {
      if (typeof value === 'string' && ['display', 'text', 'name', 'outcomeDesc'].includes(key)) texts.push(value);
      return value;
    });
    // The only display is the console's own name (source.observer) and the code's standard display.
    expect(texts.sort()).toEqual(['MSO Admin Console', 'RESTful Operation']);
    expect(JSON.stringify(event)).not.toMatch(/@|birth|mrn-value/i);
  });

  it('leaves out AuditEvents another tool wrote', () => {
    expect(fromAuditEvent({ resourceType: 'AuditEvent', id: 'x', type: { code: 'rest' }, recorded: entry.time, agent: [], source: { observer: {} } })).toBeUndefined();
  });

  it('the MSO policy grants clinicians no AuditEvent (every variant)', () => {
    for (const variant of [{ kind: 'standard' as const }, { kind: 'assigned-clinician' as const }, { kind: 'consent-gated' as const, consent: { reference: 'Consent/u' } }]) {
      const types = (expectedMsoPolicy(variant).resource ?? []).map((r) => r.resourceType);
      expect(types).not.toContain('AuditEvent');
      expect(types).not.toContain('*');
    }
  });
});
