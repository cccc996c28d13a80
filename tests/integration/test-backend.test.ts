/**
 * The test backend itself, on whichever tier runs: a fresh project with its own (non-super)
 * admin and the MSO policy, and a FHIR quota that changes at once when set.
 */
import type { MedplumClient } from '@medplum/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findInstalledPolicy } from '../../main/engines/install-policy';
import type { TestBackend } from '../support/backend';
import { backendKind, startTestBackend } from '../support/backend';
import { signInAsAdmin } from '../support/local-server';

let backend: TestBackend;
let admin: MedplumClient;
beforeAll(async () => {
  backend = await startTestBackend();
  admin = await signInAsAdmin(backend);
});
afterAll(async () => {
  await backend.stop();
});

/** Points left this minute, from the `RateLimit: "fhirInteractions";r=…;t=…` header of one search. */
async function pointsLeft(client: MedplumClient): Promise<number> {
  const response = await fetch(`${backend.baseUrl}fhir/R4/Organization?_count=1`, {
    headers: { Authorization: `Bearer ${client.getAccessToken()}` },
  });
  expect(response.status).toBe(200);
  const header = response.headers.get('ratelimit') ?? '';
  const match = /"fhirInteractions";r=(\d+)/.exec(header);
  if (!match) {
    throw new Error(`No fhirInteractions RateLimit header in: ${header}`);
  }
  return Number(match[1]);
}

describe(`test backend (${backendKind()})`, () => {
  test('the project is fresh and its admin is a project administrator, not a super admin', async () => {
    expect(backend.kind).toBe(backendKind());
    expect(backend.baseUrl.endsWith('/')).toBe(true);
    expect(admin.getProject()?.id).toBe(backend.projectId);
    const membership = admin.getProjectMembership();
    expect(membership?.admin).toBe(true);
    expect(admin.getProject()?.superAdmin ?? false).toBe(false);
    expect((await admin.searchResources('Patient', { _count: '10' }, { cache: 'no-cache' } as RequestInit)).map((p) => p.id)).toEqual([]);
    expect((await admin.searchResources('Organization', { _count: '10' }, { cache: 'no-cache' } as RequestInit)).map((o) => o.id)).toEqual([]);
  });

  test('the seed names the MSO policy installed in the project', async () => {
    const installed = await findInstalledPolicy(admin);
    expect(installed?.id).toBe(backend.seed.msoPolicyId);
  });

  test('setFhirQuota changes the membership quota at once, as the RateLimit header shows', async () => {
    await backend.setFhirQuota(3_000);
    const low = await pointsLeft(admin);
    expect(low).toBeLessThanOrEqual(3_000);
    await backend.setFhirQuota(2_000_000);
    const high = await pointsLeft(admin);
    expect(high).toBeGreaterThan(1_000_000);
  });

  test('a quota spent in full answers 429 to the next write, until it is raised', async () => {
    await backend.setFhirQuota(250);
    const write = () => admin.createResource({ resourceType: 'Organization', name: 'Quota probe' });
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i++) {
      outcomes.push(await write().then(() => 'ok', (err: Error) => (/too many requests/i.test(err.message) ? '429' : err.message)));
    }
    expect(outcomes).toContain('429');
    await backend.setFhirQuota(2_000_000);
    await expect(write()).resolves.toMatchObject({ resourceType: 'Organization' });
  });
});
