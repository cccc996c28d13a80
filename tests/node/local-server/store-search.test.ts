/**
 * LocalMemoryStore's search must give exactly what fhir-router's MemoryRepository gives (order,
 * ties, descending, missing values, paging, total, chained filters), only faster. The reference is
 * a stock MemoryRepository holding the same resources in the same order.
 */
import type { WithId } from '@medplum/core';
import { parseSearchRequest } from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, HumanName, Observation, Patient, Resource } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, test } from 'vitest';
import { LocalMemoryStore } from '../../../main/local-server/memory-store';
import type { VisibilityFilter } from '../../../main/local-server/repo/filtered-search';
import { searchVisible } from '../../../main/local-server/repo/filtered-search';
import { loadFhirDefinitions } from '../../../main/local-server/repo/definitions';

const T1 = '2026-01-01T00:00:01.000Z';
const T2 = '2026-01-01T00:00:02.000Z';
const T3 = '2026-01-01T00:00:03.000Z';

function patient(id: string, lastUpdated: string, name?: HumanName[], birthDate?: string): Patient {
  return {
    resourceType: 'Patient',
    id,
    meta: { versionId: `v-${id}`, lastUpdated },
    ...(name ? { name } : undefined),
    ...(birthDate ? { birthDate } : undefined),
  };
}

// Insertion order is deliberately not any sort order; several ties on purpose.
const RESOURCES: Resource[] = [
  patient('p01', T2, [{ family: 'Smith', given: ['John'] }], '1980-05-01'),
  patient('p02', T1, [{ family: 'Garcia', given: ['Ana'] }]),
  patient('p03', T3, [{ family: 'smith', given: ['Anna'] }], '1970-01-01'),
  patient('p04', T2, [{ family: 'Smith', given: ['John'] }], '1980-05-01'), // same name, date and time as p01
  patient('p05', T3), // no name at all
  patient('p06', T1, [{ family: 'Ölberg', given: ['Zoe'] }]),
  patient('p07', T2, [{ family: 'Garcia', given: ['Ana'] }, { family: 'Lee', given: ['Bo'] }]),
  patient('p08', T3, [{ family: 'de la Cruz', given: ['María'] }], '2001-12-31'),
  patient('p09', T1, [{ family: 'Nguyen', given: ['Bao', 'An'] }]),
  patient('p10', T2, [{ given: ['Solo'] }]), // a given name only
  patient('p11', T1, [{ family: 'Garcia' }]), // a family name only
  patient('p12', T3, [{ family: 'Zhang', given: ['ana'] }]),
  ...['p01', 'p03', 'p08', 'p05'].map(
    (subject, i): Observation => ({
      resourceType: 'Observation',
      id: `o${i}`,
      meta: { versionId: `v-o${i}`, lastUpdated: [T3, T1, T2, T1][i] as string },
      status: 'final',
      code: { text: 'heart rate' },
      subject: { reference: `Patient/${subject}` },
    })
  ),
];

const QUERIES = [
  'Patient',
  'Patient?_sort=family,given',
  'Patient?_sort=-family,given',
  'Patient?_sort=family,-given',
  'Patient?_sort=-family,-given',
  'Patient?_sort=given',
  'Patient?_sort=-given',
  'Patient?_sort=family',
  'Patient?_sort=-family',
  'Patient?_sort=_lastUpdated',
  'Patient?_sort=-_lastUpdated',
  'Patient?_sort=-_lastUpdated,family',
  'Patient?_sort=birthdate,-family',
  'Patient?_sort=not-a-parameter,family',
  'Patient?_sort=family,not-a-parameter',
  'Patient?_sort=family,given&_count=3',
  'Patient?_sort=family,given&_count=3&_offset=4',
  'Patient?_sort=-family,given&_count=5&_offset=10',
  'Patient?_sort=family,given&_offset=20',
  'Patient?_sort=family,given&_count=0',
  'Patient?_sort=family&name=an',
  'Patient?_sort=-given&family=garcia,smith',
  'Patient?_id=p04,p01,p09&_sort=family',
  'Observation?_sort=-_lastUpdated',
  'Observation?subject:Patient.name=smith&_sort=_lastUpdated',
  'Observation?patient.birthdate=1980-05-01',
];

let reference: MemoryRepository;
let store: LocalMemoryStore;

beforeAll(async () => {
  loadFhirDefinitions();
  reference = new MemoryRepository();
  await reference.withSeeding(async () => {
    for (const resource of RESOURCES) {
      await reference.createResource(resource, undefined, true);
    }
  });
  store = new LocalMemoryStore();
  await store.importResources(RESOURCES);
});

/** MemoryRepository lets the last sort rule decide first; Medplum (and the store) the first. */
function forReference(query: string): ReturnType<typeof parseSearchRequest> {
  const request = parseSearchRequest(query);
  return request.sortRules ? { ...request, sortRules: [...request.sortRules].reverse() } : request;
}

function idsOf(bundle: Bundle): (string | undefined)[] {
  return (bundle.entry ?? []).map((e) => e.resource?.id);
}

describe('LocalMemoryStore.search', () => {
  test.each(QUERIES)('%s: the same bundle as MemoryRepository', async (query) => {
    // Given the sort rules in reverse, MemoryRepository must give exactly the store's bundle.
    const expected = await reference.search(forReference(query));
    const actual = await store.search(parseSearchRequest(query));
    expect(idsOf(actual)).toEqual(idsOf(expected));
    expect(actual).toEqual(expected);
  });

  test('_sort=family,given: by family first, as Medplum orders (ties in store order, no name last)', async () => {
    const bundle = await store.search(parseSearchRequest('Patient?_sort=family,given'));
    // Family decides: de la Cruz, the Garcias, Nguyen, Ölberg (sorts as O), smith/Smith, Zhang,
    // then those without a family name. Among the Garcias `given` decides (["Ana","Bo"] < ["Ana"]
    // < none, as JSON text); p01 and p04 tie on both and keep store order.
    expect(idsOf(bundle)).toEqual(['p08', 'p07', 'p02', 'p11', 'p09', 'p06', 'p03', 'p01', 'p04', 'p12', 'p10', 'p05']);
    const descending = await store.search(parseSearchRequest('Patient?_sort=-family'));
    // Descending reverses the keys but not the ties (p05 before p10, p01 before p04, p02 before
    // p11); no family name ("[]") sorts last ascending, so first here.
    expect(idsOf(descending)).toEqual(['p05', 'p10', 'p12', 'p01', 'p04', 'p03', 'p06', 'p09', 'p02', 'p11', 'p07', 'p08']);
  });

  test('returns copies: changing a result does not change the store', async () => {
    const first = await store.search<Patient>(parseSearchRequest('Patient?_id=p01'));
    const resource = first.entry?.[0]?.resource as WithId<Patient>;
    (resource.name as HumanName[])[0] = { family: 'Changed' };
    const again = await store.search<Patient>(parseSearchRequest('Patient?_id=p01'));
    expect(again.entry?.[0]?.resource?.name?.[0]?.family).toBe('Smith');
  });

  test('a visibility filter applies before sorting, paging and counting, and says it was applied', async () => {
    const hidden = new Set(['p01', 'p02', 'p05', 'p11']);
    const visible = (r: Resource): boolean => !hidden.has(r.id as string);
    for (const query of QUERIES.filter((q) => q.startsWith('Patient'))) {
      const request = parseSearchRequest(query);
      const all = await reference.search({ ...forReference(query), offset: 0, count: Number.MAX_SAFE_INTEGER });
      const kept = (all.entry ?? []).filter((e) => visible(e.resource as Resource));
      const offset = request.offset ?? 0;
      const page = kept.slice(offset, request.count === undefined ? undefined : offset + request.count);

      const visibility: VisibilityFilter = { visible, applied: false };
      const bundle = await store.search(parseSearchRequest(query), { visibility });
      expect(visibility.applied).toBe(true);
      expect(bundle.total).toBe(kept.length);
      expect(idsOf(bundle)).toEqual(page.map((e) => e.resource?.id));
    }
  });

  test('searchVisible gives the same page and total through the store as by filtering every match', async () => {
    const hidden = new Set(['p03', 'p04', 'p10']);
    const visible = (r: Resource): boolean => !hidden.has(r.id as string);
    for (const query of QUERIES) {
      const viaFallback = await searchVisible(reference, forReference(query), visible);
      const viaStore = await searchVisible(store, parseSearchRequest(query), visible);
      expect(viaStore).toEqual(viaFallback);
    }
  });
});
