import type { Patient } from '@medplum/fhirtypes';
import { afterEach, describe, expect, test } from 'vitest';
import type { FaultInjectionOptions } from '../../../main/local-server/fault-injector';
import type { LocalServer } from '../../support/local-server';
import { signInAsAdmin, startTestServer } from '../../support/local-server';

describe('hosted write quota', () => {
  let server: LocalServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  test('a spent quota gets 429 with a RateLimit header, and the refused write is not stored', async () => {
    server = await startTestServer({ quota: { pointsPerWindow: 500 } });
    const admin = await signInAsAdmin(server);
    const post = (family: string): Promise<Response> =>
      fetch(`${server?.baseUrl}fhir/R4/Patient`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${admin.getAccessToken()}`, 'Content-Type': 'application/fhir+json' },
        body: JSON.stringify({ resourceType: 'Patient', name: [{ family }] } satisfies Patient),
      });
    // Creates cost 100 points each: five fit in 500.
    for (let i = 0; i < 5; i++) {
      const ok = await post('Quota');
      expect(ok.status).toBe(201);
      expect(ok.headers.get('ratelimit')).toMatch(new RegExp(`^"fhirInteractions";r=${400 - i * 100};t=\\d+$`));
    }
    const refused = await post('Quota');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('ratelimit')).toMatch(/^"fhirInteractions";r=0;t=\d+$/);
    expect(server.store.countResources('Patient')).toBe(5);
  });

  test('the quota is per membership: one member spending it does not stop another', async () => {
    server = await startTestServer({ quota: { pointsPerWindow: 100 } });
    const admin = await signInAsAdmin(server);
    await admin.createResource<Patient>({ resourceType: 'Patient' });
    await expect(admin.createResource<Patient>({ resourceType: 'Patient' })).rejects.toThrow();
    const app = (await admin.post(`admin/projects/${server.projectId}/client`, { name: 'Other' })) as { id: string; secret: string };
    const token = await fetch(`${server.baseUrl}oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: app.id, client_secret: app.secret }),
    });
    const { access_token } = (await token.json()) as { access_token: string };
    const other = await fetch(`${server.baseUrl}fhir/R4/Patient`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${access_token}`, 'Content-Type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'Patient' }),
    });
    expect(other.status).toBe(201);
    expect(server.store.countResources('Patient')).toBe(2);
  });
});

describe('fault injection', () => {
  const servers: LocalServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  /** Sends the same 40 reads one after another; records each outcome ('dropped' when the socket died). */
  async function runSchedule(faults: FaultInjectionOptions): Promise<string[]> {
    const server = await startTestServer({ faults });
    servers.push(server);
    const admin = await signInAsAdmin(server); // sign-in is never faulted
    const outcomes: string[] = [];
    for (let i = 0; i < 40; i++) {
      try {
        const response = await fetch(`${server.baseUrl}fhir/R4/Project/${server.projectId}`, {
          headers: { Authorization: `Bearer ${admin.getAccessToken()}` },
        });
        outcomes.push(String(response.status));
      } catch {
        outcomes.push('dropped');
      }
    }
    expect(server.faults?.history().map((d) => d.action)).toHaveLength(40);
    return outcomes;
  }

  test('the same seed replays the same schedule of 500s, 429s, drops and latency', async () => {
    const options: FaultInjectionOptions = { seed: 42, errorRate: 0.2, rateLimitRate: 0.15, dropRate: 0.1, latencyMs: [0, 5] };
    const first = await runSchedule(options);
    const second = await runSchedule(options);
    expect(second).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['200', '500', '429', 'dropped']));
    const [a, b] = servers;
    expect(b?.faults?.history().map((d) => [d.action, d.latencyMs])).toEqual(a?.faults?.history().map((d) => [d.action, d.latencyMs]));

    const otherSeed = await runSchedule({ ...options, seed: 7 });
    expect(otherSeed).not.toEqual(first);
  });
});
