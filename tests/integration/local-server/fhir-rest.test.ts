import type { MedplumClient } from '@medplum/core';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LocalServer } from '../../support/local-server';
import { signInAsAdmin, startTestServer } from '../../support/local-server';

describe('FHIR R4 REST', () => {
  let server: LocalServer;
  let admin: MedplumClient;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await signInAsAdmin(server);
  });
  afterAll(async () => {
    await server.stop();
  });

  function authHeaders(extra: Record<string, string> = {}): Record<string, string> {
    return { Authorization: `Bearer ${admin.getAccessToken()}`, 'Content-Type': 'application/fhir+json', ...extra };
  }

  test('search pages hold 20 by default with a next link and no total unless _total is asked', async () => {
    for (let i = 0; i < 25; i++) {
      await admin.createResource<Patient>({ resourceType: 'Patient', name: [{ family: 'Pager', given: [`P${i}`] }] });
    }
    const first = await admin.search('Patient', { name: 'Pager' });
    expect(first.entry).toHaveLength(20);
    expect(first.total).toBeUndefined();
    const next = first.link?.find((l) => l.relation === 'next')?.url;
    expect(next).toBeDefined();

    const second = (await admin.get(next as string, { cache: 'no-cache' })) as Bundle<Patient>;
    expect(second.entry).toHaveLength(5);
    expect(second.link?.find((l) => l.relation === 'next')).toBeUndefined();
    const ids = new Set([...(first.entry ?? []), ...(second.entry ?? [])].map((e) => e.resource?.id));
    expect(ids.size).toBe(25);

    const counted = await admin.search('Patient', { name: 'Pager', _total: 'accurate', _count: '10' });
    expect(counted.total).toBe(25);
    expect(counted.entry).toHaveLength(10);

    const all = await admin.searchResources('Patient', { name: 'Pager', _count: '100' });
    expect(all).toHaveLength(25);
  });

  test('versionId, ETag and If-Match: a stale version gets 412 and the resource keeps its content', async () => {
    const created = await admin.createResource<Patient>({ resourceType: 'Patient', name: [{ family: 'Versioned' }] });
    const v1 = created.meta?.versionId as string;
    const updated = await admin.updateResource({ ...created, gender: 'female' });
    expect(updated.meta?.versionId).not.toBe(v1);

    const read = await fetch(`${server.baseUrl}fhir/R4/Patient/${created.id}`, { headers: authHeaders() });
    expect(read.headers.get('etag')).toBe(`W/"${updated.meta?.versionId}"`);

    const stale = await fetch(`${server.baseUrl}fhir/R4/Patient/${created.id}`, {
      method: 'PUT',
      headers: authHeaders({ 'If-Match': `W/"${v1}"` }),
      body: JSON.stringify({ ...updated, gender: 'male' }),
    });
    expect(stale.status).toBe(412);
    expect((await admin.readResource('Patient', created.id)).gender).toBe('female');

    const current = await fetch(`${server.baseUrl}fhir/R4/Patient/${created.id}`, {
      method: 'PUT',
      headers: authHeaders({ 'If-Match': `W/"${updated.meta?.versionId}"` }),
      body: JSON.stringify({ ...updated, gender: 'male' }),
    });
    expect(current.status).toBe(200);
    expect((await admin.readResource('Patient', created.id)).gender).toBe('male');

    const history = await admin.readHistory('Patient', created.id);
    expect(history.entry?.map((e) => e.resource?.gender)).toEqual(['male', 'female', undefined]);
  });

  test('patch, conditional create and delete', async () => {
    const created = await admin.createResource<Patient>({
      resourceType: 'Patient',
      identifier: [{ system: 'urn:test', value: 'cond-1' }],
    });
    const again = await admin.createResourceIfNoneExist<Patient>(
      { resourceType: 'Patient', identifier: [{ system: 'urn:test', value: 'cond-1' }] },
      'identifier=urn:test|cond-1'
    );
    expect(again.id).toBe(created.id);
    await admin.patchResource('Patient', created.id, [{ op: 'add', path: '/gender', value: 'other' }]);
    expect((await admin.readResource('Patient', created.id)).gender).toBe('other');
    await admin.deleteResource('Patient', created.id);
    await expect(admin.readResource('Patient', created.id)).rejects.toThrow();
  });

  test('batch conditional creates are idempotent: 201, then 200 on a second run', async () => {
    const batch: Bundle = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: ['b-1', 'b-2'].map((value) => ({
        request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=urn:batch|${value}` },
        resource: { resourceType: 'Patient', identifier: [{ system: 'urn:batch', value }] },
      })),
    };
    const first = await admin.executeBatch(batch);
    expect(first.entry?.map((e) => e.response?.status)).toEqual(['201', '201']);
    const second = await admin.executeBatch(batch);
    expect(second.entry?.map((e) => e.response?.status)).toEqual(['200', '200']);
    expect(await admin.searchResources('Patient', { identifier: 'urn:batch|b-1,urn:batch|b-2' })).toHaveLength(2);
  });

  function transactionWithFailingEntry(tag: string): Bundle {
    return {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { request: { method: 'POST', url: 'Patient' }, resource: { resourceType: 'Patient', name: [{ family: tag }] } },
        { request: { method: 'POST', url: 'Patient' }, resource: { resourceType: 'Patient', name: [{ family: tag }] } },
        // Fails: there is no such patient to update with this If-Match.
        {
          request: { method: 'PUT', url: 'Patient/does-not-exist', ifMatch: 'W/"1"' },
          resource: { resourceType: 'Patient', id: 'does-not-exist', name: [{ family: tag }] },
        },
      ],
    };
  }

  test('without transaction-bundles a transaction is not atomic: the entries that succeed stay written', async () => {
    await server.setProjectFeatures([]);
    const response = await admin.executeBatch(transactionWithFailingEntry('Partialwrite')).catch((err: unknown) => err);
    expect(response).toBeDefined();
    expect(await admin.searchResources('Patient', { name: 'Partialwrite' })).toHaveLength(2);
  });

  test('with transaction-bundles a transaction with a failing entry writes nothing', async () => {
    await server.setProjectFeatures(['transaction-bundles']);
    try {
      await expect(admin.executeBatch(transactionWithFailingEntry('Rollback'))).rejects.toThrow();
      expect(await admin.searchResources('Patient', { name: 'Rollback' })).toHaveLength(0);
      // A transaction whose entries all succeed commits.
      const ok: Bundle = { ...transactionWithFailingEntry('Rollback'), entry: transactionWithFailingEntry('Rollback').entry?.slice(0, 2) };
      await admin.executeBatch(ok);
      expect(await admin.searchResources('Patient', { name: 'Rollback' })).toHaveLength(2);
    } finally {
      await server.setProjectFeatures([]);
    }
  });

  test('meta.project and meta.compartment come back only with X-Medplum: extended', async () => {
    const created = await admin.createResource<Patient>({ resourceType: 'Patient' });
    expect(created.meta?.project).toBe(server.projectId);
    const plain = await fetch(`${server.baseUrl}fhir/R4/Patient/${created.id}`, {
      headers: { Authorization: `Bearer ${admin.getAccessToken()}` },
    });
    const body = (await plain.json()) as Patient;
    expect(body.meta?.project).toBeUndefined();
    expect(body.meta?.compartment).toBeUndefined();
    expect(body.meta?.versionId).toBe(created.meta?.versionId);
  });
});
