/**
 * The local server's look for many identifiers OR-ed answers exactly what @medplum/core's own
 * matching answers: systems and values case-folded, a value under another system not found,
 * `system|` and a bare value still matched by core.
 */
import { matchesSearchRequest, parseSearchRequest } from '@medplum/core';
import type { Patient, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { type ResourceMaps, searchStore } from '../../../main/local-server/store-search';

const patients: Patient[] = [
  { resourceType: 'Patient', id: 'p1', identifier: [{ system: 'https://a.test/mrn', value: 'X1' }] },
  { resourceType: 'Patient', id: 'p2', identifier: [{ system: 'https://b.test/mrn', value: 'X1' }] },
  { resourceType: 'Patient', id: 'p3', identifier: [{ system: 'https://a.test/mrn', value: 'x2' }] },
  { resourceType: 'Patient', id: 'p4', identifier: [{ value: 'X3' }] },
  { resourceType: 'Patient', id: 'p5', identifier: [{ system: 'https://A.test/MRN', value: 'X4' }, { system: 'https://c.test/id', value: 'X1' }] },
  { resourceType: 'Patient', id: 'p6' },
];
const store: ResourceMaps = new Map([['Patient', new Map<string, Resource>(patients.map((patient) => [patient.id as string, patient]))]]);

describe('searching many identifiers OR-ed on the local server', () => {
  for (const query of [
    'identifier=https://a.test/mrn|X1,https://A.TEST/mrn|X2,https://a.test/mrn|x4',
    'identifier=https://b.test/mrn|x1,https://c.test/id|X9',
    'identifier=https://a.test/mrn|,https://b.test/mrn|X1',
    'identifier=X3,https://a.test/mrn|X1',
    'identifier=https://a.test/mrn|X1,https://c.test/id|x1&_id=p5',
  ]) {
    it(`finds what @medplum/core matches for ${query}`, () => {
      const request = parseSearchRequest(`Patient?${query}`);
      const expected = patients.filter((patient) => matchesSearchRequest(patient, request)).map((patient) => patient.id);
      const found = (searchStore(store, request).entry ?? []).map((entry) => entry.resource?.id);
      expect(found).toEqual(expected);
    });
  }
});
