import { describe, expect, test } from 'vitest';
import { FaultInjector } from '../../../main/local-server/fault-injector';
import { matchPath } from '../../../main/local-server/path-match';
import { mulberry32 } from '../../../main/local-server/prng';
import { rateLimitHeaders, WriteQuotaLedger } from '../../../main/local-server/write-quota';

describe('mulberry32', () => {
  test('one seed gives one sequence; another seed another', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const c = mulberry32(2);
    const seqA = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe('FaultInjector', () => {
  test('decides only for FHIR and admin paths by default, and replays from its seed', () => {
    const options = { seed: 9, errorRate: 0.3, rateLimitRate: 0.3, dropRate: 0.2, latencyMs: [10, 20] as const };
    const first = new FaultInjector(options);
    const second = new FaultInjector(options);
    expect(first.decide('POST', 'auth/login').action).toBe('none');
    for (let i = 0; i < 50; i++) {
      first.decide('GET', 'fhir/R4/Patient');
      second.decide('GET', 'fhir/R4/Patient');
    }
    expect(second.history()).toEqual(first.history());
    expect(first.history()).toHaveLength(50);
    expect(first.history().every((d) => d.latencyMs >= 10 && d.latencyMs <= 20)).toBe(true);
    expect(new Set(first.history().map((d) => d.action))).toEqual(new Set(['none', 'error500', 'error429', 'drop']));
  });
});

describe('WriteQuotaLedger', () => {
  test('charges per membership, refuses past the budget, and resets with the window', () => {
    let now = 0;
    const ledger = new WriteQuotaLedger({ pointsPerWindow: 250 }, () => now);
    ledger.charge('m1', ledger.costs.write);
    ledger.charge('m1', ledger.costs.write);
    expect(() => ledger.charge('m1', ledger.costs.write)).toThrow(/Too Many Requests/i);
    expect(ledger.status('m1').remaining).toBe(0);
    ledger.charge('m2', ledger.costs.write); // another membership has its own budget
    now = 15_000;
    expect(rateLimitHeaders(ledger.status('m1')).RateLimit).toBe('"fhirInteractions";r=0;t=45');
    now = 60_000;
    ledger.charge('m1', ledger.costs.write);
    expect(ledger.status('m1').remaining).toBe(150);
    expect(ledger.costs).toEqual({ read: 1, history: 10, search: 20, write: 100 });
  });
});

describe('matchPath', () => {
  test('names segments and refuses other shapes', () => {
    expect(matchPath('admin/projects/:projectId/members/:id', 'admin/projects/p1/members/m%201')).toEqual({ projectId: 'p1', id: 'm 1' });
    expect(matchPath('admin/projects/:projectId', 'admin/projects/p1/invite')).toBeUndefined();
    expect(matchPath('job/:id/status', 'job//status')).toBeUndefined();
  });
});
