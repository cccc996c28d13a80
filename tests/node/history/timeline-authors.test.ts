/** How the timeline names who wrote a version, the server's own writes included (docs/history.md). */
import type { MedplumClient } from '@medplum/core';
import type { Bundle, Organization, Patient, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { accessTimeline } from '../../../main/history/timeline';

const clinic: Organization = { resourceType: 'Organization', id: 'c1', name: 'Uptown Clinic' };
const admin = { resourceType: 'Practitioner', id: 'a1', name: [{ given: ['Ann'], family: 'Admin' }] } as Resource;

function version(versionId: string, time: string, author: string | undefined, accounts: string[]): { resource: Patient } {
  return {
    resource: {
      resourceType: 'Patient',
      id: 'p1',
      meta: { versionId, lastUpdated: time, ...(author ? { author: { reference: author } } : {}), accounts: accounts.map((reference) => ({ reference })) },
    },
  };
}

/** A client that answers the patient's history and the names the timeline reads, nothing else. */
function clientWith(history: Bundle<Patient>): MedplumClient {
  const byRef = new Map<string, Resource>([
    ['Organization/c1', clinic],
    ['Practitioner/a1', admin],
  ]);
  return {
    fhirUrl: (...parts: string[]) => new URL(`http://server.test/fhir/R4/${parts.join('/')}`),
    get: async (url: string) => {
      if (!url.includes('Patient/p1/_history')) throw new Error(`unexpected read ${url}`);
      return history;
    },
    readResource: async (type: string, id: string) => {
      const found = byRef.get(`${type}/${id}`);
      if (!found) throw new Error('not found');
      return found;
    },
  } as unknown as MedplumClient;
}

describe('timeline authors', () => {
  it('names the server’s own writes “Medplum”, an admin by name, without reading anything for the server', async () => {
    const history: Bundle<Patient> = {
      resourceType: 'Bundle',
      type: 'history',
      entry: [
        version('3', '2026-12-01T10:00:00Z', 'Practitioner/a1', []),
        version('2', '2026-12-01T09:00:00Z', 'system', ['Organization/c1']),
        version('1', '2026-12-01T08:00:00Z', 'system', []),
      ],
    };
    const timeline = await accessTimeline(clientWith(history), 'proj', { record: 'Patient/p1', count: 10 });
    expect(timeline.entries.map((e) => e.author)).toEqual([
      { reference: 'Practitioner/a1', display: 'Ann Admin' },
      { reference: 'system', display: 'Medplum' },
    ]);
    expect(timeline.entries[1]?.sentence).toMatch(/ · Medplum added Uptown Clinic$/);
    expect(timeline.entries[0]?.sentence).toMatch(/ · Ann Admin removed Uptown Clinic$/);
    // The history read, then the admin's, the clinic's and the patient's names: none for the server.
    expect(timeline.requests).toBe(4);
  });
});
