/**
 * Sorted and counted searches over real HTTP: `_count=0` / `_summary=count` give a total and no
 * next link, and a clinician's sorted pages (policy-filtered in the store) are the visible part of
 * what the admin sees, with a total that counts only what they may see.
 */
import type { WithId } from '@medplum/core';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LocalServer } from '../../support/local-server';
import { createClinic, createClinician, signInAsAdmin, startTestServer } from '../../support/local-server';

let server: LocalServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

// A new object each time: MedplumClient writes into the options it is given.
const fresh = () => ({ cache: 'no-cache' }) as const;

function relations(bundle: Bundle): (string | undefined)[] {
  return (bundle.link ?? []).map((l) => l.relation);
}

describe('search paging and sorting', () => {
  test('_count=0 and _summary=count return the total, no entries and no next link', async () => {
    const admin = await signInAsAdmin(server);
    const clinic = await createClinic(admin, 'Counted');
    const accounts = [{ reference: `Organization/${clinic.id}` }];
    for (let i = 0; i < 3; i++) {
      await admin.createResource<Patient>({ resourceType: 'Patient', meta: { accounts }, name: [{ family: `Counted${i}` }] });
    }
    const compartment = `Organization/${clinic.id}`;

    const zero = await admin.search('Patient', { _compartment: compartment, _count: '0', _total: 'accurate' }, fresh());
    expect(zero.total).toBe(3);
    expect(zero.entry ?? []).toEqual([]);
    // As on Medplum: a page with no entries links only to itself.
    expect(relations(zero)).toEqual(['self']);

    const summary = await admin.search('Patient', { _compartment: compartment, _summary: 'count' }, fresh());
    expect(summary.total).toBe(3);
    expect(summary.entry ?? []).toEqual([]);
    expect(relations(summary)).not.toContain('next');

    // A page that is not the last still has one.
    const two = await admin.search('Patient', { _compartment: compartment, _count: '2', _total: 'accurate' }, fresh());
    expect(two.entry).toHaveLength(2);
    expect(relations(two)).toContain('next');
  });

  test("a clinician's sorted pages are the visible part of the admin's order, counted over what they see", async () => {
    const admin = await signInAsAdmin(server);
    const clinicA = await createClinic(admin, 'Sorted A');
    const clinicB = await createClinic(admin, 'Sorted B');
    const names: [string | undefined, string | undefined, 'A' | 'B' | 'AB'][] = [
      ['Smith', 'John', 'A'],
      ['Garcia', 'Ana', 'B'],
      ['smith', 'Anna', 'A'],
      ['Smith', 'John', 'AB'], // the same name as the first
      [undefined, undefined, 'A'], // no name
      ['Garcia', 'Zoe', 'A'],
      ['Nguyen', 'Ana', 'B'],
      ['Lee', undefined, 'A'],
      ['Okafor', 'Bo', 'AB'],
    ];
    const created: WithId<Patient>[] = [];
    for (const [family, given, where] of names) {
      const clinics = where === 'AB' ? [clinicA, clinicB] : where === 'A' ? [clinicA] : [clinicB];
      const accounts = clinics.map((c) => ({ reference: `Organization/${c.id}` }));
      const name = family || given ? [{ ...(family ? { family } : undefined), ...(given ? { given: [given] } : undefined) }] : undefined;
      created.push(await admin.createResource<Patient>({ resourceType: 'Patient', meta: { accounts }, ...(name ? { name } : undefined) }));
    }
    const inA = new Set(created.filter((_, i) => names[i]?.[2] !== 'B').map((p) => p.id));
    const clinician = await createClinician(server, admin, [clinicA]);
    const ours = new Set(created.map((p) => p.id));

    for (const sort of ['family,given', '-family,given', 'given,-family', '-_lastUpdated']) {
      const everything = await admin.searchResources('Patient', { _sort: sort, _count: '1000' }, fresh());
      const expected = everything.map((p) => p.id).filter((id) => ours.has(id) && inA.has(id));
      expect(expected).toHaveLength(inA.size);

      const seen: string[] = [];
      let offset = 0;
      for (;;) {
        const page = await clinician.client.search(
          'Patient',
          { _sort: sort, _count: '3', _offset: String(offset), _total: 'accurate' },
          fresh()
        );
        expect(page.total).toBe(inA.size);
        seen.push(...(page.entry ?? []).map((e) => e.resource?.id as string));
        if (!relations(page).includes('next')) {
          break;
        }
        expect(page.entry).toHaveLength(3);
        offset += 3;
      }
      expect(seen, `_sort=${sort}`).toEqual(expected);
    }
  });

  test('an unknown search or sort parameter is 400, as on Medplum; _elements keeps only what it names', async () => {
    const admin = await signInAsAdmin(server);
    await admin.createResource<Patient>({ resourceType: 'Patient', name: [{ family: 'Elements' }], birthDate: '1980-02-03' });
    for (const query of ['nonsense=1', '_sort=nonsense', '_sort=-family,nonsense']) {
      const response = await fetch(`${server.baseUrl}fhir/R4/Patient?${query}`, { headers: { Authorization: `Bearer ${admin.getAccessToken()}` } });
      expect(response.status, query).toBe(400);
      expect(JSON.stringify(await response.json())).toContain('Unknown search parameter: nonsense');
    }
    // Chained and typed parameters are still searches, not refusals.
    expect((await fetch(`${server.baseUrl}fhir/R4/Observation?subject:Patient.name=Elements`, { headers: { Authorization: `Bearer ${admin.getAccessToken()}` } })).status).toBe(200);
    const bundle = await admin.search('Patient', { family: 'Elements', _elements: 'birthDate' }, fresh());
    expect(Object.keys(bundle.entry?.[0]?.resource ?? {}).sort()).toEqual(['birthDate', 'id', 'meta', 'resourceType']);
  });
});
